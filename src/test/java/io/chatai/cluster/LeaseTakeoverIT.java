package io.chatai.cluster;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** A conversation held by an instance that died is taken over once that instance's lease expires. */
class LeaseTakeoverIT {

    @Test
    void should_take_over_a_conversation_held_by_a_killed_instance_after_its_lease_expires() throws Exception {
        assumeTrue(TestDatabases.postgresql(), "leases exist where several instances share PostgreSQL");
        Path dataDir = TestServer.newDataDir();
        Map<String, String> shortLease = Map.of("CHATAI_LEASE_SECONDS", "3");
        try (FakeOpenAi upstream = new FakeOpenAi()) {
            upstream.script(body -> body.path("messages").toString().contains("hold it") ? Reply.hanging() : FakeOpenAi.echo(body));
            String conversation;
            long killedAt;
            try (ServerProcess doomed = ServerProcess.start(dataDir, shortLease);
                 ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                doomed.admin().post("/api/channels", Map.of("name", "main", "type", "openai", "baseUrl", upstream.baseUrl()));
                conversation = doomed.admin().post("/api/chat", Map.of("message", "hello", "userId", "holder"))
                        .data().path("conversationId").asText();
                pool.submit(() -> doomed.admin().post("/api/chat", Map.of("message", "hold it", "userId", "holder")));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (upstream.requests().stream().noneMatch(r -> r.body().toString().contains("hold it"))) {
                    assertThat(System.nanoTime()).as("the holding turn reached the upstream").isLessThan(deadline);
                    Thread.sleep(20);
                }
                doomed.kill(); // dies holding the conversation's lease
                killedAt = System.nanoTime();
            }

            try (TestServer successor = TestServer.start(dataDir, shortLease)) {
                Api api = successor.admin();
                Api.Response next = api.post("/api/chat", Map.of("message", "anyone there?", "userId", "holder", "conversationId", conversation));
                Duration waited = Duration.ofNanos(System.nanoTime() - killedAt);

                assertThat(next.status()).as(next.body()).isEqualTo(200);
                assertThat(waited).as("it waited for the dead lease to expire").isGreaterThan(Duration.ofMillis(1_500))
                        .isLessThan(Duration.ofSeconds(10));
                List<JsonNode> messages = api.get("/api/conversations/" + conversation).data().path("messages").valueStream().toList();
                assertThat(messages).extracting(m -> m.path("content").asText())
                        .containsExactly("hello", "echo(2): hello", "anyone there?", "echo(4): anyone there?");
            }
        }
    }
}
