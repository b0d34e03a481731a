package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.MutableClock;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One hiccup is not an outage: through the real server with its default {@code CHATAI_COOLDOWN_AFTER}
 * (3), a single channel cools only after failures in a row (or a 429), a 404 skips one model, and a
 * departed client or a stream broken after content never cools it. The fake upstream injects each fault;
 * the server's clock is moved by hand. Runs on SQLite (in-memory breakers) and PostgreSQL (shared ones).
 */
class ChannelCooldownIT {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    static FakeOpenAi upstream;
    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() {
        upstream = new FakeOpenAi();
        server = TestServer.start(TestServer.newDataDir(), Map.of(), clock);
        api = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    @BeforeEach
    void fresh() {
        upstream.resetScript();
        server.deleteChannels();
    }

    static Api.Response chat(Api api, String model) {
        return api.post("/api/chat", Map.of("message", "hello", "userId", "h" + System.nanoTime(), "model", model));
    }

    static Api.Response chat() {
        return chat(api, "gpt-4o-mini");
    }

    static JsonNode channel(String id) {
        return api.get("/api/channels/" + id).data();
    }

    @Test
    void should_stay_healthy_after_a_single_500_and_answer_the_next_request() {
        String id = server.addChannel(upstream, Map.of("name", "hiccup"));
        upstream.always(Reply.status(500, "internal error"));

        Api.Response failed = chat();
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.header("Retry-After")).as("usable again at once").isEqualTo("1");
        assertThat(channel(id).path("state").asText()).isEqualTo("healthy");
        assertThat(channel(id).path("consecutiveFailures").asInt()).isEqualTo(1);
        assertThat(metric("chatai_channel_consecutive_failures", "channel=\"hiccup\"")).isEqualTo(1.0);
        assertThat(metric("chatai_channel_state", "channel=\"hiccup\"", "state=\"healthy\"")).isEqualTo(1.0);

        upstream.resetScript();
        assertThat(chat().status()).isEqualTo(200);
        assertThat(channel(id).path("consecutiveFailures").asInt()).as("a success resets the count").isZero();
    }

    @Test
    void should_cool_the_channel_after_three_consecutive_500s() {
        String id = server.addChannel(upstream, Map.of("name", "down"));
        upstream.always(Reply.status(500, "internal error"));
        int before = upstream.calls();

        for (int i = 0; i < 3; i++) {
            assertThat(chat().status()).isEqualTo(503);
        }

        JsonNode cooled = channel(id);
        assertThat(cooled.path("state").asText()).isEqualTo("cooling");
        assertThat(cooled.path("consecutiveFailures").asInt()).isEqualTo(3);
        assertThat(cooled.path("coolingUntil").asLong() - clock.millis()).isEqualTo(30_000);
        assertThat(metric("chatai_channel_state", "channel=\"down\"", "state=\"cooling\"")).isEqualTo(1.0);
        Api.Response skipped = chat();
        assertThat(skipped.status()).isEqualTo(503);
        assertThat(skipped.header("Retry-After")).isEqualTo("30");
        assertThat(upstream.calls() - before).as("a cooling channel is not called").isEqualTo(3);
    }

    @Test
    void should_start_the_count_over_after_a_success_in_between() {
        String id = server.addChannel(upstream, Map.of("name", "flaky"));
        int[] call = {0};
        // 500, 500, fine, 500, 500: never three in a row.
        upstream.scriptRequests(r -> ++call[0] == 3 ? FakeOpenAi.echo(r.body()) : Reply.status(500, "internal error"));

        for (int i = 0; i < 5; i++) {
            assertThat(chat().status()).isEqualTo(i == 2 ? 200 : 503);
        }

        assertThat(channel(id).path("state").asText()).isEqualTo("healthy");
        assertThat(channel(id).path("consecutiveFailures").asInt()).isEqualTo(2);
    }

    @Test
    void should_cool_at_once_on_a_429_for_its_retry_after_or_else_30_seconds() {
        String hinted = server.addChannel(upstream, Map.of("name", "hinted", "models", java.util.List.of("hinted-model")));
        String plain = server.addChannel(upstream, Map.of("name", "plain", "models", java.util.List.of("plain-model")));
        upstream.scriptRequests(r -> r.model().equals("hinted-model")
                ? Reply.status(429, "rate limit reached").withRetryAfter("120") : Reply.status(429, "rate limit reached"));

        assertThat(chat(api, "hinted-model").status()).isEqualTo(503);
        assertThat(chat(api, "plain-model").status()).isEqualTo(503);

        assertThat(channel(hinted).path("state").asText()).isEqualTo("cooling");
        assertThat(channel(hinted).path("coolingUntil").asLong() - clock.millis()).isEqualTo(120_000);
        assertThat(channel(plain).path("state").asText()).isEqualTo("cooling");
        assertThat(channel(plain).path("coolingUntil").asLong() - clock.millis()).isEqualTo(30_000);
    }

    @Test
    void should_skip_only_the_missing_model_on_that_channel_for_60_seconds() {
        String id = server.addChannel(upstream, Map.of("name", "partial"));
        upstream.scriptRequests(r -> r.model().equals("model-a")
                ? Reply.status(404, "The model `model-a` does not exist") : FakeOpenAi.echo(r.body()));
        int before = upstream.calls();

        assertThat(chat(api, "model-a").status()).isEqualTo(503);
        assertThat(chat(api, "model-b").status()).as("the channel's other models keep working").isEqualTo(200);
        Api.Response skipped = chat(api, "model-a");
        assertThat(skipped.status()).isEqualTo(503);
        assertThat(skipped.json().path("details").path("tried").path(0).path("error").asText()).contains("was not found there");
        assertThat(skipped.header("Retry-After")).isEqualTo("60");
        assertThat(upstream.calls() - before).as("model-a was not asked again").isEqualTo(2);

        clock.advance(Duration.ofSeconds(59));
        chat(api, "model-a");
        assertThat(upstream.calls() - before).as("still skipped after 59 s").isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        chat(api, "model-a");
        assertThat(upstream.calls() - before).as("asked again after 60 s").isEqualTo(3);
        assertThat(channel(id).path("state").asText()).isEqualTo("healthy");
        assertThat(channel(id).path("consecutiveFailures").asInt()).isZero();
    }

    @Test
    void should_never_cool_a_channel_when_clients_leave_mid_stream() throws Exception {
        String id = server.addChannel(upstream, Map.of("name", "leaving"));
        upstream.always(Reply.text("tick ".repeat(200).split("(?<= )")).withGap(Duration.ofMillis(50)));
        double counted = metric("chatai_upstream_interrupted_total", "channel=\"leaving\"", "cause=\"client_left\"");

        for (int i = 0; i < 3; i++) {
            int closedBefore = upstream.closedEarly();
            leaveAfterFirstContent();
            eventually(() -> upstream.closedEarly() == closedBefore + 1);
        }

        eventually(() -> metric("chatai_upstream_interrupted_total", "channel=\"leaving\"", "cause=\"client_left\"")
                == Math.max(counted, 0) + 3);
        assertThat(channel(id).path("state").asText()).isEqualTo("healthy");
        assertThat(channel(id).path("consecutiveFailures").asInt()).isZero();
    }

    @Test
    void should_never_cool_a_channel_when_streams_break_after_content_but_count_them() throws Exception {
        String id = server.addChannel(upstream, Map.of("name", "broken"));
        upstream.always(Reply.text("Half of ", "an answer").brokenAfterChunks());

        for (int i = 0; i < 3; i++) {
            Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "hello", "userId", "b" + System.nanoTime()));
            assertThat(stream.types()).containsExactly("start", "content", "content", "error");
        }

        assertThat(channel(id).path("state").asText()).isEqualTo("healthy");
        assertThat(channel(id).path("consecutiveFailures").asInt()).isZero();
        eventually(() -> metric("chatai_upstream_interrupted_total", "channel=\"broken\"", "cause=\"broken_after_content\"") == 3.0);
        upstream.resetScript();
        assertThat(chat().status()).isEqualTo(200);
    }

    @Test
    void should_count_failures_in_a_row_across_instances_sharing_postgresql() throws Exception {
        assumeTrue(TestDatabases.postgresql(), "breakers are shared where several instances share PostgreSQL");
        Path dataDir = TestServer.newDataDir();
        try (FakeOpenAi shared = new FakeOpenAi();
             TestServer first = TestServer.start(dataDir, Map.of());
             TestServer second = TestServer.start(dataDir, Map.of())) {
            String id = first.addChannel(shared, Map.of("name", "shared"));
            shared.always(Reply.status(500, "internal error"));
            eventually(() -> chat(second.admin(), "gpt-4o-mini").status() == 503 && shared.calls() == 1); // its config poll saw the channel

            assertThat(chat(first.admin(), "gpt-4o-mini").status()).isEqualTo(503);
            assertThat(first.admin().get("/api/channels/" + id).data().path("state").asText()).as("two in a row").isEqualTo("healthy");
            Thread.sleep(1_500); // the second instance's breaker snapshot refreshes every second
            shared.resetScript();
            assertThat(chat(second.admin(), "gpt-4o-mini").status()).as("a success on the other instance").isEqualTo(200);
            shared.always(Reply.status(500, "internal error"));
            assertThat(chat(first.admin(), "gpt-4o-mini").status()).isEqualTo(503);
            assertThat(first.admin().get("/api/channels/" + id).data().path("consecutiveFailures").asInt())
                    .as("the other instance's success reset the shared count").isEqualTo(1);

            assertThat(chat(second.admin(), "gpt-4o-mini").status()).isEqualTo(503);
            assertThat(chat(first.admin(), "gpt-4o-mini").status()).isEqualTo(503);

            eventually(() -> second.admin().get("/api/channels/" + id).data().path("state").asText().equals("cooling"));
            assertThat(first.admin().get("/api/channels/" + id).data().path("consecutiveFailures").asInt()).isEqualTo(3);
            int calls = shared.calls();
            assertThat(chat(second.admin(), "gpt-4o-mini").status()).isEqualTo(503);
            assertThat(shared.calls()).as("cooling for both instances").isEqualTo(calls);
        }
    }

    /** Opens a stream, reads until its first content event, and hangs up. */
    private static void leaveAfterFirstContent() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest request = api.request("/api/chat/stream").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"go\",\"userId\":\"l" + System.nanoTime() + "\"}")).build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                StringBuilder seen = new StringBuilder();
                while (!seen.toString().contains("\"type\":\"content\"")) {
                    int b = body.read();
                    assertThat(b).as("the stream ended before any content").isNotNegative();
                    seen.append((char) b);
                }
            }
        }
    }

    /** A sample of the Prometheus exposition whose labels include all of these; -1 when there is none. */
    private static double metric(String name, String... labels) {
        String body = api.get("/metrics").body();
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE).matcher(body);
        while (line.find()) {
            String found = line.group(1);
            if (java.util.Arrays.stream(labels).allMatch(found::contains)) {
                return Double.parseDouble(line.group(2));
            }
        }
        return -1;
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not true within 10 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
