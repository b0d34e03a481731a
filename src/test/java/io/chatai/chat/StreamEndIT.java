package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.JavaNames;
import io.chatai.testing.RawUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstreams whose answers end without the provider's end marker, served the way several
 * OpenAI-compatible servers do (the body ends where the connection closes), through the whole server:
 * after a finish reason that is a complete answer, committed; before one it is a broken stream, told
 * in words (never a Java class) and committing nothing.
 */
class StreamEndIT {
    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.deleteChannels();
    }

    static Stream<Arguments> providers() {
        return Stream.of(Arguments.of((Supplier<FakeUpstream>) FakeOpenAi::new),
                Arguments.of((Supplier<FakeUpstream>) FakeAnthropic::new), Arguments.of((Supplier<FakeUpstream>) FakeGemini::new));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void should_commit_a_stream_whose_upstream_closes_after_its_finish_reason_without_an_end_marker(Supplier<FakeUpstream> kind) {
        try (FakeUpstream fake = kind.get();
             RawUpstream raw = new RawUpstream(RawUpstream.Framing.CLOSE_DELIMITED, "text/event-stream",
                     fake.renderStream(Reply.text("Hel", "lo").with(Reply.Fault.NO_END_MARKER)))) {
            server.addChannel(fake, Map.of("name", "no-done", "baseUrl", raw.origin()));
            String user = "u-" + fake.type();

            Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "hi", "userId", user));
            Api.Stream gateway = api.stream("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "stream", true,
                    "messages", List.of(Map.of("role", "user", "content", "hi"))));

            assertThat(stream.types()).as(stream.raw()).startsWith("start").endsWith("end").doesNotContain("error");
            assertThat(stream.text()).isEqualTo("Hello");
            String conversation = stream.events().getFirst().path("conversationId").asText();
            JsonNode stored = api.get("/api/conversations/" + conversation).data();
            assertThat(stored.path("messages").path(1).path("content").asText()).isEqualTo("Hello");
            assertThat(gateway.raw()).contains("\"content\":\"Hel\"").doesNotContain("\"error\"").endsWith("data: [DONE]\n\n");
            JsonNode channel = api.get("/api/channels").data().path(0);
            assertThat(channel.path("state").asText()).isEqualTo("healthy");
            assertThat(channel.path("failures").asInt()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void should_end_a_stream_that_breaks_before_its_finish_reason_in_words_and_commit_nothing(Supplier<FakeUpstream> kind) {
        try (FakeUpstream fake = kind.get();
             RawUpstream raw = new RawUpstream(RawUpstream.Framing.CLOSE_DELIMITED, "text/event-stream",
                     fake.renderStream(Reply.text("Hel", "lo").brokenAfterChunks()));
             RawUpstream rawJson = new RawUpstream(RawUpstream.Framing.CHUNKED_CUT, "application/json",
                     fake.renderCompletion(Reply.text("Hello")).substring(0, 20))) {
            String user = "v-" + fake.type();
            // A fresh channel for each call: a failure may cool the one before.
            server.addChannel(fake, Map.of("name", "cut-short", "baseUrl", raw.origin()));
            Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "hi", "userId", user));
            server.deleteChannels();
            server.addChannel(fake, Map.of("name", "cut-short", "baseUrl", raw.origin()));
            Api.Stream gateway = api.stream("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "stream", true,
                    "messages", List.of(Map.of("role", "user", "content", "hi"))));
            server.deleteChannels();
            server.addChannel(fake, Map.of("name", "cut-json", "baseUrl", rawJson.origin()));
            Api.Response whole = api.post("/api/chat", Map.of("message", "hi", "userId", user));

            assertThat(stream.types()).as(stream.raw()).startsWith("start", "content").endsWith("error");
            assertThat(stream.events().getLast().path("code").asText()).isEqualTo("MODEL_ERROR");
            assertThat(gateway.raw()).contains("\"content\":\"Hel\"").contains("data: {\"error\"").doesNotContain("data: [DONE]\n");
            assertThat(whole.status()).isEqualTo(503);
            for (String shown : List.of(stream.raw(), gateway.raw(), whole.body())) {
                JavaNames.assertNone(shown);
            }
            assertThat(api.get("/api/conversations?userId=" + user).data().path("total").asInt()).isZero();
        }
    }
}
