package io.chatai.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.ServerProcess;
import io.chatai.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** SIGTERM: stop accepting, let the running turns finish within the grace period, then exit. */
class GracefulShutdownIT {

    @Test
    void should_finish_running_turns_and_refuse_new_ones_on_sigterm() throws Exception {
        Path dataDir = TestServer.newDataDir();
        try (FakeOpenAi upstream = new FakeOpenAi(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            upstream.always(Reply.text("one ", "two ", "three ", "four ", "five ", "six").withGap(Duration.ofMillis(250)));
            ServerProcess server = ServerProcess.start(dataDir, Map.of("CHATAI_SHUTDOWN_GRACE_SECONDS", "20"));
            try {
                server.admin().post("/api/channels", Map.of("name", "main", "type", "openai", "baseUrl", upstream.baseUrl()));
                Api api = server.admin();
                Future<Api.Stream> streaming = pool.submit(() -> api.stream("/api/chat/stream", Map.of("message", "long one", "userId", "stayer")));
                Future<Api.Response> plain = pool.submit(() -> api.post("/api/chat", Map.of("message", "plain one", "userId", "stayer2")));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (upstream.calls() < 2) {
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.sleep(20);
                }

                long stopping = System.nanoTime();
                server.terminate(); // SIGTERM
                Thread.sleep(300);
                assertThatThrownBy(() -> api.get("/health")).as("no new connections once stopping").isInstanceOf(RuntimeException.class);

                Api.Stream stream = streaming.get();
                assertThat(stream.types()).as(stream.raw()).endsWith("end");
                assertThat(stream.text()).isEqualTo("one two three four five six");
                assertThat(plain.get().status()).isEqualTo(200);
                server.await();
                assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(20));
            } finally {
                server.close();
            }
            try (TestServer again = TestServer.start(dataDir, Map.of())) {
                assertThat(again.admin().get("/api/conversations?userId=stayer").data().path("conversations").path(0)
                        .path("messageCount").asInt()).as("the turn that finished during shutdown is committed").isEqualTo(2);
            }
        }
    }
}
