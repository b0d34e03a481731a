package io.chatai.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Exactness under concurrency: 40 requests at once against a group's budget with room for exactly 10 worst
 * cases get exactly 10 through, on one instance (SQLite or PostgreSQL) and across two instances sharing
 * PostgreSQL. The upstream holds every call it gets until all 40 have an answer or a call, so no admitted
 * request settles (and frees room) before the last one was decided.
 */
class BudgetConcurrencyIT {
    private static final int REQUESTS = 40;
    private static final int ROOM = 10;

    @Test
    void should_let_exactly_ten_of_forty_parallel_requests_through_on_one_instance() throws Exception {
        try (FakeOpenAi upstream = new FakeOpenAi(); TestServer server = TestServer.start()) {
            server.addChannel(upstream);
            race(upstream, server.admin(), List.of(server.admin()), "race-one");
        }
    }

    @Test
    void should_let_exactly_ten_of_forty_parallel_requests_through_across_two_instances() throws Exception {
        assumeTrue(TestDatabases.postgresql(), "several instances share PostgreSQL");
        Path dataDir = TestServer.newDataDir();
        try (FakeOpenAi upstream = new FakeOpenAi();
             TestServer first = TestServer.start(dataDir, Map.of());
             TestServer second = TestServer.start(dataDir, Map.of())) {
            first.addChannel(upstream);
            race(upstream, first.admin(), List.of(first.admin(), second.admin()), "race-two");
            // The second instance learnt of the budget through the configuration poll, and counts the same.
            assertThat(second.admin().get("/api/budgets").data()).hasSize(1);
        }
    }

    private static void race(FakeOpenAi upstream, Api admin, List<Api> instances, String group) throws Exception {
        assertThat(admin.post("/api/presets", Map.of("id", "race", "name", "Race", "systemPrompt", "Answer in one word.",
                "maxTokens", 1000)).status()).isEqualTo(201);
        String id = admin.post("/api/budgets", Map.of("scope", "group", "subject", group, "period", "day", "maxTokens", 1))
                .data().path("id").asText();
        Api.Response probe = admin.post("/api/chat", chat("probe", group));
        assertThat(probe.status()).as(probe.body()).isEqualTo(429);
        long worst = probe.json().path("details").path("requestTokens").asLong();
        // Room for 10 worst cases and half of an 11th.
        assertThat(admin.put("/api/budgets/" + id, Map.of("maxTokens", ROOM * worst + worst / 2)).status()).isEqualTo(200);
        for (Api instance : instances) {
            awaitBudget(instance, id, ROOM * worst + worst / 2);
        }

        AtomicInteger arrived = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        upstream.script(body -> {
            arrived.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.text("Four");
        });
        AtomicInteger refused = new AtomicInteger();
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < REQUESTS; i++) {
                Api api = instances.get(i % instances.size());
                String user = "racer-" + i; // one conversation each: turns of different users run in parallel
                answers.add(clients.submit(() -> {
                    go.await();
                    Api.Response response = api.post("/api/chat", chat(user, group));
                    if (response.status() == 429) {
                        assertThat(response.json().path("details").path("budgetId").asText()).isEqualTo(id);
                        refused.incrementAndGet();
                    }
                    return response.status();
                }));
            }
            go.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (arrived.get() + refused.get() < REQUESTS && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300); // anything still on its way would arrive now
            int through = arrived.get();
            int refusedNow = refused.get();
            release.countDown();

            assertThat(through).as("requests that reached the upstream").isEqualTo(ROOM);
            assertThat(refusedNow).as("requests refused with 429").isEqualTo(REQUESTS - ROOM);
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isIn(200, 429);
            }
        }
        assertThat(answers.stream().filter(f -> f.resultNow() == 200).count()).isEqualTo(ROOM);
        upstream.resetScript();

        JsonNode standing = admin.get("/api/budgets/" + id).data();
        // Settled to what the 10 calls really cost: 11 prompt and 1 completion token each.
        assertThat(standing.path("spentTokens").asLong()).isEqualTo(ROOM * 12);
        assertThat(standing.path("reservedTokens").asLong()).isZero();
    }

    private static Map<String, Object> chat(String user, String group) {
        return Map.of("message", "How much is 2 + 2?", "userId", user, "groupId", group, "preset", "race");
    }

    /** Waits until this instance enforces the budget's new limit (another instance learns of it within a poll). */
    private static void awaitBudget(Api instance, String id, long maxTokens) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (instance.get("/api/budgets/" + id).data().path("maxTokens").asLong() != maxTokens) {
            assertThat(System.nanoTime()).as("the instance saw the budget's limit").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
