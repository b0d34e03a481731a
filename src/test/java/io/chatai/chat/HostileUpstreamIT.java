package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upstreams that never stop (endless deltas, one line without end, a JSON body without end), through
 * the whole server: each call is ended as {@code MODEL_ERROR} by its bound, the upstream sees its
 * connection closed, nothing is committed, and other requests are served meanwhile.
 */
class HostileUpstreamIT {
    static final String HOSTILE_MODEL = "runaway-model";
    static FakeOpenAi hostile;
    static FakeOpenAi healthy;
    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() {
        hostile = new FakeOpenAi();
        healthy = new FakeOpenAi();
        server = TestServer.start(Map.of("CHATAI_MAX_ANSWER_CHARS", "200000"));
        api = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
        hostile.close();
        healthy.close();
    }

    @BeforeEach
    void reset() {
        server.deleteChannels();
        server.addChannel(hostile, Map.of("name", "hostile", "models", List.of(HOSTILE_MODEL)));
        server.addChannel(healthy, Map.of("name", "healthy", "models", List.of("*"), "priority", -1));
    }

    @Test
    void should_stop_an_endless_stream_at_the_answer_bound_while_serving_others_and_commit_nothing() {
        // 1,000 characters every 20 ms: the bound is reached after about 4 s.
        hostile.always(Reply.text("Once upon a time ").withGap(Duration.ofMillis(20)).with(Reply.Fault.ENDLESS_DELTAS));
        int closedBefore = hostile.closedEarly();
        // Read before the runaway starts: read after, its call may already be counted, and the loop below never ends.
        int callsBefore = hostile.calls();

        CompletableFuture<Api.Stream> runaway = CompletableFuture.supplyAsync(() -> api.stream("/api/chat/stream",
                Map.of("message", "tell me a story", "userId", "reader", "model", HOSTILE_MODEL)));
        List<Integer> others = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (hostile.calls() == callsBefore || others.size() < 10) {
            assertThat(System.nanoTime()).as("the runaway's call reached the hostile upstream within 30 s").isLessThan(deadline);
            others.add(api.post("/api/chat", Map.of("message", "hi", "userId", "other-" + others.size())).status());
        }
        boolean runawayStillGoing = !runaway.isDone();
        Api.Stream stream = runaway.orTimeout(60, TimeUnit.SECONDS).join(); // without the bound it never ends

        assertThat(others).as("served while the runaway streamed").containsOnly(200);
        assertThat(runawayStillGoing).isTrue();
        assertThat(stream.types()).startsWith("start", "content").endsWith("error");
        JsonNode error = stream.events().getLast();
        assertThat(error.path("code").asText()).isEqualTo("MODEL_ERROR");
        assertThat(error.path("error").asText()).contains("CHATAI_MAX_ANSWER_CHARS (200000 characters)");
        assertThat(stream.text().length()).isBetween(190_000, 201_000);
        assertClosedAndNothingCommitted(closedBefore, "reader");
    }

    @Test
    void should_stop_a_stream_whose_line_never_ends_without_failing_over() {
        hostile.always(Reply.text("Once ").with(Reply.Fault.ENDLESS_LINE));
        int closedBefore = hostile.closedEarly();

        Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "hi", "userId", "liner", "model", HOSTILE_MODEL));

        assertThat(stream.types()).startsWith("start").endsWith("error");
        assertThat(stream.events().getLast().path("code").asText()).isEqualTo("MODEL_ERROR");
        assertThat(stream.events().getLast().path("error").asText()).contains("line is longer than 4194304 bytes");
        assertClosedAndNothingCommitted(closedBefore, "liner");

        // Before any content, too: the bound ends the call; the same request is not sent to the next channel.
        hostile.always(Reply.text().with(Reply.Fault.ENDLESS_LINE));
        int healthyCalls = healthy.calls();
        Api.Stream early = api.stream("/api/chat/stream", Map.of("message", "hi", "userId", "liner", "model", HOSTILE_MODEL));

        assertThat(early.status()).isEqualTo(502);
        assertThat(early.json().path("code").asText()).isEqualTo("MODEL_ERROR");
        assertThat(healthy.calls()).isEqualTo(healthyCalls);
        assertClosedAndNothingCommitted(closedBefore + 1, "liner");
    }

    @Test
    void should_stop_a_json_answer_that_never_ends_on_both_apis() {
        hostile.always(Reply.text("x").with(Reply.Fault.ENDLESS_BODY));
        int closedBefore = hostile.closedEarly();
        int callsBefore = hostile.calls();

        Api.Response chat = api.post("/api/chat", Map.of("message", "hi", "userId", "bodied", "model", HOSTILE_MODEL));
        Api.Response gateway = api.post("/v1/chat/completions", Map.of("model", HOSTILE_MODEL,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));

        assertThat(chat.status()).isEqualTo(502);
        assertThat(chat.json().path("code").asText()).isEqualTo("MODEL_ERROR");
        assertThat(chat.json().path("error").asText()).contains("JSON body is larger than 4194304 bytes");
        assertThat(gateway.status()).isEqualTo(502);
        assertThat(gateway.json().path("error").path("code").asText()).isEqualTo("model_error");
        assertThat(gateway.header("x-should-retry")).as("OpenAI's SDKs are told not to send it again").isEqualTo("false");
        assertThat(hostile.calls() - callsBefore).as("a bound is not failed over").isEqualTo(2);
        assertClosedAndNothingCommitted(closedBefore + 1, "bodied");
    }

    @Test
    void should_stop_an_endless_stream_on_the_gateway_too() {
        hostile.always(Reply.text("a").with(Reply.Fault.ENDLESS_DELTAS));
        int closedBefore = hostile.closedEarly();

        Api.Stream stream = CompletableFuture.supplyAsync(() -> api.stream("/v1/chat/completions", Map.of("model", HOSTILE_MODEL,
                "stream", true, "messages", List.of(Map.of("role", "user", "content", "hi")))))
                .orTimeout(60, TimeUnit.SECONDS).join(); // without the bound it never ends

        assertThat(stream.raw()).contains("data: {\"error\"").contains("CHATAI_MAX_ANSWER_CHARS").doesNotContain("data: [DONE]\n");
        assertClosedAndNothingCommitted(closedBefore, "nobody");
    }

    private static void assertClosedAndNothingCommitted(int closedBefore, String user) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (hostile.closedEarly() == closedBefore && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        assertThat(hostile.closedEarly()).as("the upstream saw its connection closed").isEqualTo(closedBefore + 1);
        assertThat(api.get("/api/conversations?userId=" + user).data().path("total").asInt()).isZero();
    }
}
