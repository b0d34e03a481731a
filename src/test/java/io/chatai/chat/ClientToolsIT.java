package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.McpTestServer;
import io.chatai.testing.Received;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bot's own tools: a turn pauses when the model calls one, answers with the pending calls, keeps its
 * conversation while paused (across instances on PostgreSQL), and is committed as one turn once the bot's results
 * come back; a paused turn that gets none in time commits nothing and frees its conversation.
 */
class ClientToolsIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(upstream)
            .withEnv("CHATAI_TURN_WAIT_SECONDS", "1").withEnv("CHATAI_TOOL_RESULT_WAIT_SECONDS", "4");
    static final Api admin = server.admin();
    static final List<Map<String, Object>> MUTE = List.of(Map.of("name", "mute_member", "description",
            "Mutes a member of the group", "parameters", Map.of("type", "object", "properties",
                    Map.of("user", Map.of("type", "string")))));

    @BeforeEach
    void channel() {
        server.deleteChannels();
        server.addChannel(upstream, Map.of("name", "main", "models", List.of("*")));
        scriptMute(upstream);
    }

    @AfterEach
    void reset() {
        upstream.resetScript();
    }

    /** Asks the bot to mute u9 (one client call, or {@code calls} of them), then answers with what the bot said. */
    static void scriptMute(FakeOpenAi fake, String... ids) {
        List<String> callIds = ids.length == 0 ? List.of("call_mute") : List.of(ids);
        fake.scriptRequests(recorded -> {
            Received received = fake.received(recorded);
            if (received.messages().getLast() instanceof ChatMessage.Tool result) {
                return Reply.text("Done: ", result.text());
            }
            if (received.toolNames().isEmpty()) {
                return Reply.text("plain answer");
            }
            Part[] calls = callIds.stream().map(id -> (Part) new Part.ToolCall(id, "mute_member", "{\"user\":\"u9\"}", null))
                    .toArray(Part[]::new);
            return Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(20, 7, false), calls);
        });
    }

    static Map<String, Object> ask(String user) {
        return new HashMap<>(Map.of("message", "Mute u9 please", "userId", user, "clientTools", MUTE));
    }

    static Map<String, Object> answer(String user, JsonNode paused, Object... idsAndResults) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < idsAndResults.length; i += 2) {
            results.add(Map.of("id", idsAndResults[i], "result", idsAndResults[i + 1]));
        }
        return new HashMap<>(Map.of("userId", user, "conversationId", paused.path("conversationId").asText(),
                "turnId", paused.path("turnId").asText(), "toolResults", results));
    }

    static void assertStoredMuteTurn(Api api, String conversationId, String answer) {
        JsonNode plain = api.get("/api/conversations/" + conversationId).data();
        assertThat(plain.path("messages")).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant");
        assertThat(plain.path("messages").get(1).path("content").asText()).isEqualTo(answer);
        JsonNode steps = api.get("/api/conversations/" + conversationId + "?include=tools").data().path("messages");
        assertThat(steps).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant", "tool", "assistant");
        assertThat(steps.get(1).path("toolCalls").get(0).path("name").asText()).isEqualTo("mute_member");
        assertThat(steps.get(2).path("content").asText()).isEqualTo("muted for 10 minutes");
    }

    @Test
    void should_pause_on_a_client_tool_and_commit_the_whole_turn_once_when_the_bot_answers() {
        String user = ToolTurns.user();
        Api.Response paused = admin.post("/api/chat", ask(user));

        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        JsonNode data = paused.data();
        assertThat(data.path("status").asText()).isEqualTo("tool_calls");
        assertThat(data.path("turnId").asText()).startsWith("turn_");
        JsonNode pending = data.path("pendingToolCalls");
        assertThat(pending).hasSize(1);
        assertThat(ToolTurns.fields(pending.get(0))).containsExactly("id", "name", "arguments");
        assertThat(pending.get(0).path("name").asText()).isEqualTo("mute_member");
        assertThat(pending.get(0).path("arguments")).isEqualTo(ToolTurns.json("{\"user\":\"u9\"}"));
        Received first = upstream.received(upstream.requests().getLast());
        assertThat(first.toolNames()).containsExactly("mute_member");
        String conversationId = data.path("conversationId").asText();
        // nothing is committed while the turn is paused
        assertThat(admin.get("/api/conversations/" + conversationId).status()).isEqualTo(404);

        Api.Response done = admin.post("/api/chat", answer(user, data, pending.get(0).path("id").asText(),
                "muted for 10 minutes"));

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.data().path("status").asText()).isEqualTo("completed");
        assertThat(done.data().path("response").asText()).isEqualTo("Done: muted for 10 minutes");
        assertThat(done.data().path("conversationId").asText()).isEqualTo(conversationId);
        assertThat(done.data().path("toolCalls").get(0).path("result").asText()).isEqualTo("muted for 10 minutes");
        List<ChatMessage> sent = upstream.received(upstream.requests().getLast()).messages();
        assertThat(sent).extracting(ChatMessage::role).containsExactly(ChatMessage.Role.USER, ChatMessage.Role.ASSISTANT,
                ChatMessage.Role.TOOL);
        assertStoredMuteTurn(admin, conversationId, "Done: muted for 10 minutes");
        assertThat(admin.get("/api/conversations/" + conversationId).data().path("messageCount").asInt()).isEqualTo(2);
        // the turn is over: a second continuation finds nothing
        assertThat(admin.post("/api/chat", answer(user, data, pending.get(0).path("id").asText(), "again")).status())
                .isEqualTo(404);
    }

    @Test
    void should_end_a_stream_with_the_pending_calls_and_continue_it_as_a_stream() {
        String user = ToolTurns.user();
        Api.Stream paused = admin.stream("/api/chat/stream", ask(user));

        assertThat(paused.types()).as(paused.raw()).containsExactly("start", "end");
        JsonNode end = paused.events().getLast();
        assertThat(end.path("finishReason").asText()).isEqualTo("tool_calls");
        assertThat(end.path("turnId").asText()).startsWith("turn_");
        assertThat(end.path("pendingToolCalls").get(0).path("name").asText()).isEqualTo("mute_member");
        JsonNode state = ToolTurns.json("{\"conversationId\":\"" + paused.events().getFirst().path("conversationId").asText()
                + "\",\"turnId\":\"" + end.path("turnId").asText() + "\"}");

        Api.Stream done = admin.stream("/api/chat/stream", answer(user, state,
                end.path("pendingToolCalls").get(0).path("id").asText(), "muted for 10 minutes"));

        assertThat(done.types()).as(done.raw()).startsWith("start").endsWith("end");
        assertThat(done.text()).isEqualTo("Done: muted for 10 minutes");
        assertThat(done.events().getLast().has("turnId")).isFalse();
        assertStoredMuteTurn(admin, state.path("conversationId").asText(), "Done: muted for 10 minutes");
    }

    @Test
    void should_keep_the_conversation_busy_while_paused_and_free_it_without_a_commit_on_expiry() throws Exception {
        String user = ToolTurns.user();
        String conversationId = admin.post("/api/chat", Map.of("message", "hello", "userId", user)).data()
                .path("conversationId").asText();
        Map<String, Object> body = ask(user);
        body.put("conversationId", conversationId);
        JsonNode paused = admin.post("/api/chat", body).data();
        assertThat(paused.path("status").asText()).isEqualTo("tool_calls");

        upstream.always(Reply.text("other answer"));
        Api.Response other = admin.post("/api/chat", Map.of("message", "another thing", "userId", user,
                "conversationId", conversationId));
        assertThat(other.status()).as(other.body()).isEqualTo(409);
        assertThat(other.json().path("code").asText()).isEqualTo("CONVERSATION_BUSY");

        Thread.sleep(5_500); // past CHATAI_TOOL_RESULT_WAIT_SECONDS and the sweep
        Api.Response late = admin.post("/api/chat", answer(user, paused,
                paused.path("pendingToolCalls").get(0).path("id").asText(), "muted"));
        assertThat(late.status()).as(late.body()).isEqualTo(404);
        Api.Response freed = admin.post("/api/chat", Map.of("message", "another thing", "userId", user,
                "conversationId", conversationId));
        assertThat(freed.status()).as(freed.body()).isEqualTo(200);
        // the abandoned turn left nothing: hello and its answer, then the new turn
        assertThat(admin.get("/api/conversations/" + conversationId).data().path("messages"))
                .extracting(m -> m.path("content").asText()).containsExactly("hello", "plain answer", "another thing",
                        "other answer");
    }

    @Test
    void should_wait_for_a_paused_turn_and_run_once_it_completes() throws Exception {
        String user = ToolTurns.user();
        JsonNode paused = admin.post("/api/chat", ask(user)).data();
        String conversationId = paused.path("conversationId").asText();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Api.Response> waiting = pool.submit(() -> admin.post("/api/chat", Map.of("message", "next", "userId",
                    user, "conversationId", conversationId)));
            Thread.sleep(300);
            Api.Response done = admin.post("/api/chat", answer(user, paused,
                    paused.path("pendingToolCalls").get(0).path("id").asText(), "muted for 10 minutes"));
            assertThat(done.status()).as(done.body()).isEqualTo(200);
            // the waiting turn ran after the paused one committed, on its history
            assertThat(waiting.get().status()).as(waiting.get().body()).isEqualTo(200);
        }
        assertThat(admin.get("/api/conversations/" + conversationId).data().path("messages")).hasSize(4);
    }

    @Test
    void should_refuse_wrong_continuations_and_keep_the_turn_paused() {
        scriptMute(upstream, "call_a", "call_b");
        String user = ToolTurns.user();
        String key = server.createKey("bot", null, null);
        String otherKey = server.createKey("other-bot", null, null);
        Api bot = server.as(key);
        JsonNode paused = bot.post("/api/chat", ask(user)).data();
        assertThat(paused.path("pendingToolCalls")).hasSize(2);

        Map<String, Object> wrongTurn = answer(user, paused, "call_a", "x", "call_b", "y");
        wrongTurn.put("turnId", "turn_nosuchturn");
        assertThat(bot.post("/api/chat", wrongTurn).status()).isEqualTo(404);
        Api.Response missing = bot.post("/api/chat", answer(user, paused, "call_a", "x"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("error").asText()).contains("call_b");
        Api.Response unknown = bot.post("/api/chat", answer(user, paused, "call_a", "x", "call_b", "y", "call_c", "z"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("error").asText()).contains("call_c");
        assertThat(server.as(otherKey).post("/api/chat", answer(user, paused, "call_a", "x", "call_b", "y")).status())
                .as("another key").isEqualTo(404);
        assertThat(bot.post("/api/chat", answer("someone-else", paused, "call_a", "x", "call_b", "y")).status())
                .as("another user").isEqualTo(404);
        Map<String, Object> withMessage = answer(user, paused, "call_a", "x", "call_b", "y");
        withMessage.put("message", "hi");
        assertThat(bot.post("/api/chat", withMessage).status()).isEqualTo(400);

        Api.Response done = bot.post("/api/chat", answer(user, paused, "call_a", "muted for 10 minutes", "call_b", "y"));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.data().path("status").asText()).isEqualTo("completed");
        assertThat(done.data().path("toolCalls")).hasSize(2);
    }

    @Test
    void should_refuse_invalid_client_tools() {
        String user = ToolTurns.user();
        Map<String, Object> badName = ask(user);
        badName.put("clientTools", List.of(Map.of("name", "mute member")));
        Api.Response refused = admin.post("/api/chat", badName);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).contains("clientTools[0].name");
        Map<String, Object> twice = ask(user);
        twice.put("clientTools", List.of(Map.of("name", "mute"), Map.of("name", "mute")));
        assertThat(admin.post("/api/chat", twice).status()).isEqualTo(400);
        Map<String, Object> many = ask(user);
        List<Map<String, Object>> tools = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            tools.add(Map.of("name", "t" + i));
        }
        many.put("clientTools", tools);
        assertThat(admin.post("/api/chat", many).json().path("error").asText()).contains("limit is 64");
        // a normal answer says it completed
        upstream.always(Reply.text("hi"));
        assertThat(admin.post("/api/chat", Map.of("message", "hello", "userId", user)).data().path("status").asText())
                .isEqualTo("completed");
    }

    @Test
    void should_run_the_server_tools_of_the_round_before_pausing() throws InterruptedException {
        McpTestServer.assumeAvailable();
        try (McpTestServer tools = McpTestServer.start("streamable-http")) {
            ToolTurns.connect(admin, "kitc", tools.url());
            ToolTurns.preset(admin, "mixed", Map.of("tools", List.of("kitc.*")));
            upstream.scriptRequests(recorded -> {
                Received received = upstream.received(recorded);
                if (received.messages().getLast() instanceof ChatMessage.Tool) {
                    return Reply.text("all done");
                }
                return Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(20, 7, false),
                        new Part.ToolCall("call_add", "kitc__add", "{\"a\":2,\"b\":40}", null),
                        new Part.ToolCall("call_mute", "mute_member", "{\"user\":\"u9\"}", null));
            });
            String user = ToolTurns.user();
            Map<String, Object> body = ask(user);
            body.put("preset", "mixed");
            JsonNode paused = admin.post("/api/chat", body).data();
            assertThat(paused.path("status").asText()).isEqualTo("tool_calls");
            assertThat(paused.path("pendingToolCalls")).extracting(c -> c.path("id").asText()).containsExactly("call_mute");
            assertThat(paused.path("toolCalls")).extracting(c -> c.path("result").asText()).containsExactly("42");

            JsonNode done = admin.post("/api/chat", answer(user, paused, "call_mute", "muted")).data();
            assertThat(done.path("response").asText()).isEqualTo("all done");
            List<ChatMessage> sent = upstream.received(upstream.requests().getLast()).messages();
            assertThat(sent.subList(2, 4)).extracting(m -> ((ChatMessage.Tool) m).toolCallId())
                    .containsExactly("call_add", "call_mute");
            Map<String, Object> clash = ask(user);
            clash.put("preset", "mixed");
            clash.put("clientTools", List.of(Map.of("name", "kitc__add")));
            assertThat(admin.post("/api/chat", clash).status()).isEqualTo(400);
        }
    }

    @Test
    void should_pause_on_one_instance_and_continue_on_another_sharing_postgresql() throws Exception {
        assumeTrue(TestDatabases.postgresql(), "several instances share PostgreSQL");
        Path dataDir = TestServer.newDataDir();
        Map<String, String> env = Map.of("CHATAI_TURN_WAIT_SECONDS", "1", "CHATAI_TOOL_RESULT_WAIT_SECONDS", "8",
                "CHATAI_LEASE_SECONDS", "2");
        try (FakeOpenAi shared = new FakeOpenAi();
             TestServer first = TestServer.start(dataDir, env);
             TestServer second = TestServer.start(dataDir, env)) {
            first.addChannel(shared, Map.of("name", "shared", "models", List.of("*")));
            scriptMute(shared);
            String key = first.createKey("bot", null, null);
            String user = ToolTurns.user();
            JsonNode paused = first.as(key).post("/api/chat", ask(user)).data();
            assertThat(paused.path("status").asText()).isEqualTo("tool_calls");
            String conversationId = paused.path("conversationId").asText();

            Thread.sleep(3_000); // longer than the lease: the paused turn's hold does not depend on a heartbeat
            Api.Response other = second.as(key).post("/api/chat", Map.of("message", "another", "userId", user));
            assertThat(other.status()).as("the paused turn still owns the conversation: " + other.body()).isEqualTo(409);

            Api.Response done = second.as(key).post("/api/chat", answer(user, paused,
                    paused.path("pendingToolCalls").get(0).path("id").asText(), "muted for 10 minutes"));
            assertThat(done.status()).as(done.body()).isEqualTo(200);
            assertThat(done.data().path("response").asText()).isEqualTo("Done: muted for 10 minutes");
            assertStoredMuteTurn(first.admin(), conversationId, "Done: muted for 10 minutes");
        }
    }
}
