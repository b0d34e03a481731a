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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Turns on one conversation are serialized: each sees every turn committed before it. */
class TurnConcurrencyIT {

    @Test
    void should_serialize_eight_concurrent_turns_on_one_conversation() throws Exception {
        try (FakeOpenAi upstream = new FakeOpenAi(); TestServer server = TestServer.start()) {
            server.addChannel(upstream);
            Api api = server.admin();
            String user = "busy-user";
            String conversation = api.post("/api/chat", Map.of("message", "hello", "userId", user, "groupId", "g"))
                    .data().path("conversationId").asText();
            api.post("/api/conversations/" + conversation + "/clear", Map.of());
            // A slow upstream makes the turns overlap in time if they were not serialized.
            upstream.script(body -> FakeOpenAi.echo(body).withGap(Duration.ofMillis(40)));
            int before = upstream.calls();

            List<Future<Api.Response>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 8; i++) {
                    String message = "message " + i;
                    boolean streamed = i % 2 == 1;
                    futures.add(pool.submit(() -> streamed
                            ? asResponse(api.stream("/api/chat/stream", Map.of("message", message, "userId", user, "groupId", "g")))
                            : api.post("/api/chat", Map.of("message", message, "userId", user, "groupId", "g"))));
                }
            }
            for (Future<Api.Response> future : futures) {
                assertThat(future.get().status()).isEqualTo(200);
            }

            JsonNode stored = api.get("/api/conversations/" + conversation).data();
            List<JsonNode> messages = stored.path("messages").valueStream().toList();
            assertThat(messages).hasSize(16);
            List<JsonNode> calls = upstream.requests().subList(before, upstream.requests().size()).stream()
                    .map(FakeOpenAi.Recorded::body).toList();
            assertThat(calls).hasSize(8);
            for (int turn = 0; turn < 8; turn++) {
                JsonNode user0 = messages.get(2 * turn);
                JsonNode reply = messages.get(2 * turn + 1);
                assertThat(user0.path("role").asText()).isEqualTo("user");
                assertThat(reply.path("role").asText()).isEqualTo("assistant");
                // The k-th committed turn's upstream call carried system + 2k history messages + its own.
                assertThat(reply.path("content").asText())
                        .isEqualTo("echo(" + (2 * turn + 2) + "): " + user0.path("content").asText());
                JsonNode call = calls.get(turn).path("messages");
                assertThat(call.size()).isEqualTo(2 * turn + 2);
                for (int m = 0; m < 2 * turn; m++) {
                    assertThat(call.get(m + 1).path("content").asText()).isEqualTo(messages.get(m).path("content").asText());
                }
                assertThat(call.get(2 * turn + 1).path("content").asText()).isEqualTo(user0.path("content").asText());
            }
            assertThat(messages.stream().filter(m -> m.path("role").asText().equals("user")).map(m -> m.path("content").asText()))
                    .containsExactlyInAnyOrder("message 0", "message 1", "message 2", "message 3", "message 4",
                            "message 5", "message 6", "message 7");
            assertThat(stored.path("messageCount").asInt()).isEqualTo(16);
        }
    }

    @Test
    void should_put_the_first_messages_of_a_new_user_into_one_conversation() throws Exception {
        try (FakeOpenAi upstream = new FakeOpenAi(); TestServer server = TestServer.start()) {
            server.addChannel(upstream);
            upstream.script(body -> FakeOpenAi.echo(body).withGap(Duration.ofMillis(20)));
            Api api = server.admin();
            List<Future<Api.Response>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 6; i++) {
                    String message = "first " + i;
                    futures.add(pool.submit(() -> api.post("/api/chat", Map.of("message", message, "userId", "newcomer"))));
                }
            }
            List<String> ids = new ArrayList<>();
            for (Future<Api.Response> future : futures) {
                ids.add(future.get().data().path("conversationId").asText());
            }
            assertThat(ids).containsOnly(ids.getFirst());
            assertThat(api.get("/api/conversations?userId=newcomer").data().path("total").asInt()).isEqualTo(1);
            assertThat(api.get("/api/conversations/" + ids.getFirst()).data().path("messages")).hasSize(12);
        }
    }

    @Test
    void should_answer_409_when_a_conversation_stays_busy_past_the_wait_bound() throws Exception {
        try (FakeOpenAi upstream = new FakeOpenAi();
             TestServer server = TestServer.start(Map.of("CHATAI_TURN_WAIT_SECONDS", "1"))) {
            server.addChannel(upstream);
            Api api = server.admin();
            String conversation = api.post("/api/chat", Map.of("message", "hi", "userId", "waiter")).data().path("conversationId").asText();
            upstream.always(Reply.text("slow").withFirstByte(Duration.ofMillis(2_500)));
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Api.Response> slow = pool.submit(() -> api.post("/api/chat", Map.of("message", "slow one", "userId", "waiter")));
                Thread.sleep(300);
                Api.Response busy = api.post("/api/chat", Map.of("message", "impatient", "userId", "waiter", "conversationId", conversation));

                assertThat(busy.status()).isEqualTo(409);
                assertThat(busy.json().path("code").asText()).isEqualTo("CONVERSATION_BUSY");
                assertThat(busy.header("Retry-After")).isNotNull();
                assertThat(slow.get().status()).isEqualTo(200);
            }
            assertThat(api.get("/api/conversations/" + conversation).data().path("messages")).hasSize(4);
        }
    }

    private static Api.Response asResponse(Api.Stream stream) {
        assertThat(stream.types().getLast()).as(stream.raw()).isEqualTo("end");
        return new Api.Response(stream.status(), stream.headers(), stream.raw());
    }
}
