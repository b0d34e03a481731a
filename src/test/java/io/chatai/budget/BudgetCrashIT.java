package io.chatai.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.ServerProcess;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A server killed while a call holds a group's whole budget: its reservation does not hold the budget for
 * ever. On PostgreSQL another instance gets the room back once the dead instance's lease expires; on
 * SQLite (one instance) the restarted server releases it at start.
 */
class BudgetCrashIT {
    private static final String GROUP = "crash-group";

    @Test
    void should_release_a_killed_instances_reservation_when_its_lease_expires() throws Exception {
        assumeTrue(TestDatabases.postgresql(), "leases exist where several instances share PostgreSQL");
        Path dataDir = TestServer.newDataDir();
        Map<String, String> shortLease = Map.of("CHATAI_LEASE_SECONDS", "3");
        try (FakeOpenAi upstream = new FakeOpenAi();
             ServerProcess doomed = ServerProcess.start(dataDir, shortLease);
             TestServer survivor = TestServer.start(dataDir, shortLease);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            String id = holdTheWholeBudget(upstream, doomed.admin(), survivor.admin(), pool);

            Api.Response meanwhile = survivor.admin().post("/api/chat", chat("survivor-user"));
            assertThat(meanwhile.status()).as("the live hold of the other instance counts").isEqualTo(429);
            assertThat(survivor.admin().get("/api/budgets/" + id).data().path("reservedTokens").asLong()).isPositive();
            doomed.kill();
            long killedAt = System.nanoTime();
            Duration freed = awaitReleased(survivor.admin(), id, Duration.ofSeconds(15));

            assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isGreaterThan(Duration.ofMillis(1_500));
            assertThat(freed).isLessThan(Duration.ofSeconds(10));
            assertThat(survivor.admin().post("/api/chat", chat("survivor-user")).status()).isEqualTo(200);
            assertThat(survivor.admin().get("/api/budgets/" + id).data().path("spentTokens").asLong())
                    .as("the dead call settled nothing; the survivor's call 12").isEqualTo(12);
        }
    }

    @Test
    void should_release_a_killed_servers_reservations_when_it_starts_again_on_sqlite() throws Exception {
        assumeFalse(TestDatabases.postgresql(), "one instance: SQLite");
        Path dataDir = TestServer.newDataDir();
        Map<String, String> longLease = Map.of("CHATAI_LEASE_SECONDS", "600"); // expiry cannot be what frees it
        String id;
        try (FakeOpenAi upstream = new FakeOpenAi();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            try (ServerProcess doomed = ServerProcess.start(dataDir, longLease)) {
                id = holdTheWholeBudget(upstream, doomed.admin(), doomed.admin(), pool);
                assertThat(doomed.admin().post("/api/chat", chat("survivor-user")).status()).isEqualTo(429);
                doomed.kill();
            }
            try (TestServer restarted = TestServer.start(dataDir, longLease)) {
                JsonNode standing = restarted.admin().get("/api/budgets/" + id).data();
                assertThat(standing.path("reservedTokens").asLong()).isZero();
                assertThat(restarted.admin().post("/api/chat", chat("survivor-user")).status()).isEqualTo(200);
            }
        }
    }

    /**
     * Makes a budget with room for exactly one call, and a call on {@code holder} that holds it: its upstream
     * never answers. Returns the budget's id once {@code observer} enforces it.
     */
    private static String holdTheWholeBudget(FakeOpenAi upstream, Api holder, Api observer, ExecutorService pool)
            throws Exception {
        holder.post("/api/channels", Map.of("name", "main", "type", "openai", "baseUrl", upstream.baseUrl()));
        holder.post("/api/presets", Map.of("id", "crash", "name", "Crash", "systemPrompt", "Be brief.", "maxTokens", 50));
        String id = holder.post("/api/budgets", Map.of("scope", "group", "subject", GROUP, "period", "day", "maxTokens", 1))
                .data().path("id").asText();
        long worst = holder.post("/api/chat", chat("holder-user")).json().path("details").path("requestTokens").asLong();
        assertThat(worst).isPositive();
        holder.put("/api/budgets/" + id, Map.of("maxTokens", worst));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (observer.get("/api/budgets/" + id).data().path("maxTokens").asLong() != worst) {
            assertThat(System.nanoTime()).as("the budget reached the other instance").isLessThan(deadline);
            Thread.sleep(50);
        }
        AtomicBoolean first = new AtomicBoolean(true);
        upstream.script(body -> first.getAndSet(false) ? Reply.hanging() : Reply.text("ok"));
        pool.submit(() -> holder.post("/api/chat", chat("holder-user")));
        while (upstream.calls() == 0) {
            assertThat(System.nanoTime()).as("the holding call reached the upstream").isLessThan(deadline + 10_000_000_000L);
            Thread.sleep(20);
        }
        return id;
    }

    /** Polls until the budget holds nothing; returns how long that took. */
    private static Duration awaitReleased(Api api, String id, Duration limit) throws InterruptedException {
        long started = System.nanoTime();
        while (api.get("/api/budgets/" + id).data().path("reservedTokens").asLong() != 0) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the dead hold was released").isLessThan(limit);
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static Map<String, Object> chat(String user) {
        return Map.of("message", "Are you there?", "userId", user, "groupId", GROUP, "preset", "crash");
    }
}
