package io.chatai.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.ServerProcess;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL in the middle of hundreds of concurrent turns: after a restart no half turn, no corrupt row and
 * no lost acknowledged turn (its client got a 200 or an {@code end} event). Runs on SQLite and PostgreSQL.
 */
class CrashSafetyIT {
    private static final int USERS = 40;
    private static final int TURNS = 400;

    /** What a client was told: the turn is committed. */
    record Acknowledged(String user, String message, String conversationId, String reply) { }

    @Test
    void should_lose_no_acknowledged_turn_and_leave_no_half_turn_when_killed() throws Exception {
        Path dataDir = TestServer.newDataDir();
        try (FakeOpenAi upstream = new FakeOpenAi()) {
            // Each answer takes a while, so hundreds of turns are in flight when the process dies.
            upstream.script(body -> FakeOpenAi.echo(body).withGap(Duration.ofMillis(80)).withFirstByte(Duration.ofMillis(40)));
            Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger refused = new AtomicInteger();
            ServerProcess server = ServerProcess.start(dataDir, Map.of());
            try {
                server.admin().post("/api/channels", Map.of("name", "main", "type", "openai", "baseUrl", upstream.baseUrl()));
                Api api = server.admin();
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < TURNS; i++) {
                        int n = i;
                        clients.submit(() -> {
                            String user = "crash-user-" + (n % USERS);
                            String message = "turn " + n + " of " + user;
                            try {
                                if (n % 2 == 0) {
                                    Api.Response response = api.post("/api/chat", Map.of("message", message, "userId", user));
                                    if (response.status() == 200) {
                                        acknowledged.put(message, new Acknowledged(user, message,
                                                response.data().path("conversationId").asText(), response.data().path("response").asText()));
                                    }
                                } else {
                                    Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", message, "userId", user));
                                    if (stream.status() == 200 && !stream.events().isEmpty()
                                            && stream.events().getLast().path("type").asText().equals("end")) {
                                        acknowledged.put(message, new Acknowledged(user, message,
                                                stream.events().getFirst().path("conversationId").asText(), stream.text()));
                                    }
                                }
                            } catch (RuntimeException connectionLost) {
                                refused.incrementAndGet();
                            }
                        });
                    }
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (acknowledged.size() < TURNS / 4 && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    server.kill(); // SIGKILL, with most turns still in flight
                }
            } finally {
                server.close();
            }
            assertThat(acknowledged).as("some turns completed before the kill").isNotEmpty();
            assertThat(refused.get()).as("some turns were cut off by the kill").isPositive();

            ServerProcess restarted = ServerProcess.start(dataDir, Map.of());
            try {
                Api api = restarted.admin();
                int turnsFound = 0;
                for (int u = 0; u < USERS; u++) {
                    JsonNode list = api.get("/api/conversations?limit=100&userId=crash-user-" + u).data();
                    for (JsonNode summary : list.path("conversations")) {
                        List<JsonNode> messages = api.get("/api/conversations/" + summary.path("id").asText()).data()
                                .path("messages").valueStream().toList();
                        assertThat(messages.size() % 2).as("whole turns only").isZero();
                        assertThat(summary.path("messageCount").asInt()).isEqualTo(messages.size());
                        for (int m = 0; m < messages.size(); m += 2) {
                            assertThat(messages.get(m).path("role").asText()).isEqualTo("user");
                            assertThat(messages.get(m + 1).path("role").asText()).isEqualTo("assistant");
                            String question = messages.get(m).path("content").asText();
                            assertThat(messages.get(m + 1).path("content").asText()).endsWith(question);
                        }
                        turnsFound += messages.size() / 2;
                    }
                }
                for (Acknowledged turn : acknowledged.values()) {
                    List<JsonNode> messages = api.get("/api/conversations/" + turn.conversationId()).data()
                            .path("messages").valueStream().toList();
                    long copies = messages.stream().filter(m -> m.path("content").asText().equals(turn.message())).count();
                    assertThat(copies).as("acknowledged turn '%s' is stored exactly once", turn.message()).isEqualTo(1);
                    int at = messages.stream().map(m -> m.path("content").asText()).toList().indexOf(turn.message());
                    assertThat(messages.get(at + 1).path("content").asText()).isEqualTo(turn.reply());
                }
                assertThat(turnsFound).isGreaterThanOrEqualTo(acknowledged.size());
                assertThat(integrityCheck(dataDir)).isEqualTo("ok");
                assertThat(api.post("/api/chat", Map.of("message", "after the crash", "userId", "crash-user-0")).status()).isEqualTo(200);
            } finally {
                restarted.close();
            }
        }
    }

    /** SQLite's own check of every page and index; PostgreSQL's transactional storage is checked by the reads above. */
    private static String integrityCheck(Path dataDir) throws Exception {
        if (TestDatabases.postgresql()) {
            return "ok";
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("chatai.db"));
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
            List<String> lines = new ArrayList<>();
            while (result.next()) {
                lines.add(result.getString(1));
            }
            return String.join("\n", lines);
        }
    }
}
