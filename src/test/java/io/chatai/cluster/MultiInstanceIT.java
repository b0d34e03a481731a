package io.chatai.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.ServerProcess;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two server processes on one PostgreSQL behave as one server. */
class MultiInstanceIT {
    static FakeOpenAi upstream;
    static ServerProcess first;
    static ServerProcess second;

    @BeforeAll
    static void start() {
        assumeTrue(TestDatabases.postgresql(), "several instances need PostgreSQL");
        upstream = new FakeOpenAi();
        Path dataDir = TestServer.newDataDir();
        // One failure cools a channel here; counting failures in a row across instances is ChannelCooldownIT's.
        first = ServerProcess.start(dataDir, Map.of("CHATAI_COOLDOWN_AFTER", "1"));
        second = ServerProcess.start(dataDir, Map.of("CHATAI_COOLDOWN_AFTER", "1"));
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.close();
            second.close();
            upstream.close();
        }
    }

    private static Map<String, Object> chat(String user, String message) {
        return Map.of("message", message, "userId", user);
    }

    /** Retries until the condition holds or the time is up; returns how long it took. */
    private static Duration eventually(Duration limit, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long started = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - started > limit.toNanos()) {
                throw new AssertionError("not true within " + limit);
            }
            Thread.sleep(50);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Test
    void should_serve_chats_on_one_instance_through_a_channel_added_on_the_other() throws Exception {
        String name = "shared-" + System.nanoTime();
        first.admin().post("/api/channels", Map.of("name", name, "type", "openai", "baseUrl", upstream.baseUrl(),
                "models", List.of("model-" + name)));

        Duration took = eventually(Duration.ofSeconds(5), () -> second.admin()
                .post("/api/chat", Map.of("message", "hi", "userId", "u-" + name, "model", "model-" + name)).status() == 200);
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void should_apply_keys_created_and_revoked_on_one_instance_on_the_other() throws Exception {
        JsonNode key = first.admin().post("/api/keys", Map.of("name", "cross")).data();
        Api onSecond = new Api(second.baseUrl(), key.path("key").asText());
        assertThat(onSecond.get("/api/presets").status()).isEqualTo(200);

        first.admin().delete("/api/keys/" + key.path("id").asText());

        eventually(Duration.ofSeconds(5), () -> onSecond.get("/api/presets").status() == 401);
    }

    @Test
    void should_serialize_eight_concurrent_turns_sent_alternately_to_two_instances() throws Exception {
        ensureChannel();
        String user = "alternating-" + System.nanoTime();
        String conversation = first.admin().post("/api/chat", chat(user, "hello")).data().path("conversationId").asText();
        first.admin().post("/api/conversations/" + conversation + "/clear", Map.of());
        upstream.script(body -> FakeOpenAi.echo(body).withGap(Duration.ofMillis(40)));
        int before = upstream.calls();
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                Api target = (i % 2 == 0 ? first : second).admin();
                String message = "message " + i;
                results.add(pool.submit(() -> target.post("/api/chat", Map.of("message", message, "userId", user,
                        "conversationId", conversation)).status()));
            }
        }
        for (Future<Integer> result : results) {
            assertThat(result.get()).isEqualTo(200);
        }
        upstream.script(FakeOpenAi::echo);

        List<JsonNode> messages = second.admin().get("/api/conversations/" + conversation).data().path("messages").valueStream().toList();
        assertThat(messages).hasSize(16);
        List<JsonNode> calls = upstream.requests().subList(before, before + 8).stream().map(FakeOpenAi.Recorded::body).toList();
        for (int turn = 0; turn < 8; turn++) {
            assertThat(messages.get(2 * turn).path("role").asText()).isEqualTo("user");
            assertThat(messages.get(2 * turn + 1).path("content").asText())
                    .isEqualTo("echo(" + (2 * turn + 2) + "): " + messages.get(2 * turn).path("content").asText());
            JsonNode sent = calls.get(turn).path("messages");
            assertThat(sent.size()).as("turn %d saw every earlier turn", turn).isEqualTo(2 * turn + 2);
            for (int m = 0; m < 2 * turn; m++) {
                assertThat(sent.get(m + 1).path("content").asText()).isEqualTo(messages.get(m).path("content").asText());
            }
        }
    }

    @Test
    void should_admit_exactly_the_key_limit_across_two_instances() throws Exception {
        ensureChannel();
        String key = first.admin().post("/api/keys", Map.of("name", "six", "rateLimitPerMinute", 6)).data().path("key").asText();
        List<Future<Integer>> results = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 24; i++) {
                Api target = new Api((i % 2 == 0 ? first : second).baseUrl(), key);
                String user = "limited-" + i + "-" + System.nanoTime();
                results.add(pool.submit(() -> {
                    go.await();
                    return target.post("/api/chat", chat(user, "hi")).status();
                }));
            }
            go.countDown();
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get());
        }
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(6);
        assertThat(statuses.stream().filter(s -> s == 429)).hasSize(18);
    }

    @Test
    void should_cool_a_failing_channel_down_once_for_both_instances() throws Exception {
        FakeOpenAi dead = new FakeOpenAi();
        try {
            dead.always(io.chatai.testing.Reply.status(503, "down"));
            String model = "cooled-" + System.nanoTime();
            first.admin().post("/api/channels", Map.of("name", "dead-" + model, "type", "openai", "baseUrl", dead.baseUrl(),
                    "models", List.of(model), "priority", 100));
            first.admin().post("/api/channels", Map.of("name", "alive-" + model, "type", "openai", "baseUrl", upstream.baseUrl(),
                    "models", List.of(model)));
            // The second instance's routing learns of both channels within its 1 s configuration poll.
            Thread.sleep(1_500);
            assertThat(second.admin().post("/api/chat", Map.of("message", "x", "userId", "c", "model", model)).status()).isEqualTo(200);
            assertThat(dead.calls()).as("the second instance tried the dead channel first").isEqualTo(1);
            int deadCalls = dead.calls();
            Thread.sleep(1_500); // the breaker snapshot of the other instance refreshes every second
            for (int i = 0; i < 10; i++) {
                ServerProcess target = i % 2 == 0 ? first : second;
                assertThat(target.admin().post("/api/chat", Map.of("message", "x" + i, "userId", "c" + i, "model", model)).status()).isEqualTo(200);
            }
            assertThat(dead.calls()).as("a cooling channel is skipped by both instances").isEqualTo(deadCalls);
        } finally {
            dead.close();
        }
    }

    private static void ensureChannel() {
        if (first.admin().get("/api/channels").data().valueStream().noneMatch(c -> c.path("name").asText().equals("main"))) {
            first.admin().post("/api/channels", Map.of("name", "main", "type", "openai", "baseUrl", upstream.baseUrl(), "priority", -1));
        }
        try {
            eventually(Duration.ofSeconds(5), () -> second.admin().post("/api/chat", chat("warmup", "hi")).status() == 200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
