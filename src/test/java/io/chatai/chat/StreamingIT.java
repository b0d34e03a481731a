package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /api/chat/stream}: event shapes, headers, keep-alives, broken streams and disconnects. */
class StreamingIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withEnv("CHATAI_KEEPALIVE_SECONDS", "1").withUpstream(upstream);
    static final Api api = server.admin();

    @BeforeEach
    void reset() {
        upstream.script(FakeOpenAi::echo);
        server.resetChannels(upstream); // a fresh channel: no cooldown left by an earlier test
    }

    private static String user() {
        return "s" + System.nanoTime();
    }

    @Test
    void should_stream_start_content_and_end_with_the_contract_headers() {
        upstream.always(Reply.text("I'm ", "doing ", "great!"));
        String user = user();

        Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "Hello, how are you?", "userId", user, "groupId", "987654321"));

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        assertThat(stream.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(stream.headers().firstValue("X-Accel-Buffering")).contains("no");
        assertThat(stream.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(stream.types()).containsExactly("start", "content", "content", "content", "end");
        JsonNode start = stream.events().getFirst();
        assertThat(start.path("conversationId").asText()).matches("conv_[0-9A-Za-z]{20,}");
        assertThat(stream.text()).isEqualTo("I'm doing great!");
        JsonNode usage = stream.events().getLast().path("usage");
        assertThat(usage.path("promptTokens").asInt()).isEqualTo(11);
        assertThat(usage.path("completionTokens").asInt()).isEqualTo(3);
        assertThat(usage.path("totalTokens").asInt()).isEqualTo(14);
        // The stored assistant message is exactly the concatenated content.
        JsonNode stored = api.get("/api/conversations/" + start.path("conversationId").asText()).data();
        assertThat(stored.path("messages").path(1).path("content").asText()).isEqualTo("I'm doing great!");
        // One JSON object per data: line, events separated by a blank line.
        assertThat(stream.raw()).contains("data: {\"type\":\"start\",").contains("\n\ndata: ");
        assertThat(upstream.requests().getLast().body().path("stream").asBoolean()).isTrue();
        assertThat(upstream.requests().getLast().body().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void should_forward_each_delta_as_it_arrives() throws Exception {
        upstream.always(Reply.text("one ", "two ", "three").withGap(Duration.ofMillis(700)));
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = api.request("/api/chat/stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"count\",\"userId\":\"" + user() + "\"}")).build();
        long sent = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.contains("\"text\":\"one \"")) {
                    break;
                }
            }
            long firstContentMillis = (System.nanoTime() - sent) / 1_000_000;
            // The whole answer takes 1.4 s upstream; the first piece must not wait for it.
            assertThat(firstContentMillis).isLessThan(1_000);
        }
    }

    @Test
    void should_send_keep_alive_comments_while_the_upstream_is_silent() {
        upstream.always(Reply.text("late answer").withFirstByte(Duration.ofMillis(2_500)));

        Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "think hard", "userId", user()));

        assertThat(stream.raw()).contains(": keep-alive\n");
        assertThat(stream.raw().indexOf(": keep-alive")).isLessThan(stream.raw().indexOf("data: "));
        assertThat(stream.types()).containsExactly("start", "content", "end");
        assertThat(stream.text()).isEqualTo("late answer");
    }

    @Test
    void should_end_a_stream_broken_midway_with_an_error_event_and_commit_nothing() {
        String user = user();
        String conversation = api.post("/api/chat", Map.of("message", "before", "userId", user)).data().path("conversationId").asText();
        upstream.always(Reply.text("half ", "an ", "answer").brokenAfterChunks());

        Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "tell me", "userId", user));

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.types()).containsExactly("start", "content", "content", "content", "error");
        JsonNode error = stream.events().getLast();
        assertThat(error.path("code").asText()).isEqualTo("MODEL_ERROR");
        assertThat(error.path("error").asText()).contains("[DONE]");
        JsonNode stored = api.get("/api/conversations/" + conversation).data();
        assertThat(stored.path("messageCount").asInt()).isEqualTo(2);
        assertThat(stored.path("messages")).extracting(m -> m.path("content").asText())
                .containsExactly("before", "echo(2): before");
    }

    @Test
    void should_not_send_a_stream_for_a_request_refused_before_content() {
        upstream.always(Reply.status(400, "invalid model parameter"));

        Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "hi", "userId", user()));

        assertThat(stream.status()).isEqualTo(502);
        assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(stream.json().path("code").asText()).isEqualTo("MODEL_ERROR");
    }

    @Test
    void should_send_a_character_split_across_deltas_whole() {
        String emoji = "😀"; // one character, two UTF-16 units: each unit arrives in its own delta
        upstream.always(Reply.text("a" + emoji.charAt(0), emoji.charAt(1) + "b"));

        Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "emoji", "userId", user()));

        List<String> pieces = stream.events().stream().filter(e -> e.path("type").asText().equals("content"))
                .map(e -> e.path("text").asText()).toList();
        assertThat(pieces).containsExactly("a", emoji + "b");
        assertThat(stream.text()).isEqualTo("a😀b");
    }

    @Test
    void should_cancel_the_upstream_call_when_the_client_leaves_and_commit_nothing() throws Exception {
        String user = user();
        upstream.always(Reply.text("tick ".repeat(200).split("(?<= )")).withGap(Duration.ofMillis(50)));
        int closedBefore = upstream.closedEarly();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = api.request("/api/chat/stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"go\",\"userId\":\"" + user + "\"}")).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        byte[] some = body.readNBytes(200);
        assertThat(new String(some, StandardCharsets.UTF_8)).contains("\"type\":\"start\"");
        long left = System.nanoTime();
        body.close();
        client.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (upstream.closedEarly() == closedBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(upstream.closedEarly()).as("the upstream saw its connection closed").isEqualTo(closedBefore + 1);
        assertThat(Duration.ofNanos(upstream.lastDisconnectNanos() - left)).isLessThan(Duration.ofSeconds(1));
        assertThat(api.get("/api/conversations?userId=" + user).data().path("total").asInt()).isZero();
    }
}
