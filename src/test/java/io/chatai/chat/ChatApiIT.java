package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import io.chatai.tokens.TokenCounter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Chat API end to end: the real server in-process, a fake OpenAI upstream on loopback. */
class ChatApiIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(upstream);
    static final Api api = server.admin();

    @BeforeEach
    void resetScript() {
        upstream.script(FakeOpenAi::echo);
        server.resetChannels(upstream); // a fresh channel: no cooldown left by an earlier test
    }

    private static String user() {
        return "u" + System.nanoTime();
    }

    @Test
    void should_answer_a_chat_with_the_contract_shape() {
        Api.Response response = api.post("/api/chat", Map.of("message", "Hello, how are you?", "userId", user(), "groupId", "987654321"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.header("X-Request-Id")).isNotBlank();
        JsonNode body = response.json();
        assertThat(body.path("success").asBoolean()).isTrue();
        JsonNode data = body.path("data");
        assertThat(data.path("response").asText()).isEqualTo("echo(2): Hello, how are you?");
        assertThat(data.path("conversationId").asText()).matches("conv_[0-9A-Za-z]{20,}");
        assertThat(data.path("usage").path("promptTokens").asInt()).isEqualTo(11);
        assertThat(data.path("usage").path("completionTokens").asInt()).isEqualTo(2);
        assertThat(data.path("usage").path("totalTokens").asInt()).isEqualTo(13);
        assertThat(data.path("usage").has("estimated")).isFalse();
        assertThat(data.path("model").asText()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void should_send_the_preset_system_prompt_with_variables_substituted() {
        String user = user();
        api.post("/api/chat", Map.of("message", "hi", "userId", user, "groupId", "g1"));

        List<JsonNode> messages = upstream.requests().getLast().messages();
        assertThat(messages.getFirst().path("role").asText()).isEqualTo("system");
        assertThat(messages.getFirst().path("content").asText())
                .startsWith("You are a helpful assistant. Today is ")
                .matches("You are a helpful assistant\\. Today is \\d{4}-\\d{2}-\\d{2}\\.");
        assertThat(upstream.requests().getLast().body().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(upstream.requests().getLast().body().path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(upstream.requests().getLast().body().path("max_tokens").asInt()).isEqualTo(1024);
        assertThat(upstream.requests().getLast().authorization()).isEqualTo("Bearer sk-test-0123456789");
    }

    @Test
    void should_send_history_upstream_on_the_second_turn() {
        String user = user();
        String first = api.post("/api/chat", Map.of("message", "My name is Ada.", "userId", user)).data().path("conversationId").asText();
        Api.Response second = api.post("/api/chat", Map.of("message", "What is my name?", "userId", user));

        assertThat(second.data().path("conversationId").asText()).isEqualTo(first);
        List<JsonNode> messages = upstream.requests().getLast().messages();
        assertThat(messages).extracting(m -> m.path("role").asText())
                .containsExactly("system", "user", "assistant", "user");
        assertThat(messages.get(1).path("content").asText()).isEqualTo("My name is Ada.");
        assertThat(messages.get(2).path("content").asText()).isEqualTo("echo(2): My name is Ada.");
        assertThat(messages.get(3).path("content").asText()).isEqualTo("What is my name?");
    }

    @Test
    void should_keep_users_of_one_group_apart() {
        String alice = user();
        String bob = user();
        String aliceConversation = api.post("/api/chat", Map.of("message", "secret of alice", "userId", alice, "groupId", "shared"))
                .data().path("conversationId").asText();
        Api.Response bobs = api.post("/api/chat", Map.of("message", "hello from bob", "userId", bob, "groupId", "shared"));

        assertThat(bobs.data().path("conversationId").asText()).isNotEqualTo(aliceConversation);
        assertThat(upstream.requests().getLast().messages()).extracting(m -> m.path("content").asText())
                .noneMatch(content -> content.contains("alice"));
        assertThat(bobs.data().path("response").asText()).isEqualTo("echo(2): hello from bob");
    }

    @Test
    void should_keep_a_private_chat_apart_from_the_same_users_group_chat() {
        String user = user();
        String inGroup = api.post("/api/chat", Map.of("message", "in group", "userId", user, "groupId", "g")).data().path("conversationId").asText();
        String inPrivate = api.post("/api/chat", Map.of("message", "in private", "userId", user)).data().path("conversationId").asText();

        assertThat(inPrivate).isNotEqualTo(inGroup);
        assertThat(api.get("/api/conversations/" + inPrivate).data().path("groupId").isNull()).isTrue();
    }

    @Test
    void should_start_a_new_conversation_when_asked_and_continue_a_named_one() throws InterruptedException {
        String user = user();
        String first = api.post("/api/chat", Map.of("message", "one", "userId", user)).data().path("conversationId").asText();
        String fresh = api.post("/api/chat", Map.of("message", "two", "userId", user, "newConversation", true)).data().path("conversationId").asText();
        assertThat(fresh).isNotEqualTo(first);
        assertThat(upstream.requests().getLast().messages()).hasSize(2); // system + the new message only

        // "Most recently updated" is to the millisecond (a tie goes to the larger id): the next turn must end in a
        // later one than the fresh conversation's, which two quick turns on a fast machine did not always.
        Thread.sleep(2);
        Api.Response continued = api.post("/api/chat", Map.of("message", "three", "userId", user, "conversationId", first));
        assertThat(continued.data().path("conversationId").asText()).isEqualTo(first);
        assertThat(upstream.requests().getLast().messages()).hasSize(4);

        // Without an id, the most recently updated conversation of the scope continues.
        Api.Response implicit = api.post("/api/chat", Map.of("message", "four", "userId", user));
        assertThat(implicit.data().path("conversationId").asText()).isEqualTo(first);
    }

    @Test
    void should_refuse_a_conversation_id_of_another_scope() {
        String owner = user();
        String conversation = api.post("/api/chat", Map.of("message", "mine", "userId", owner)).data().path("conversationId").asText();
        int callsBefore = upstream.calls();

        Api.Response otherUser = api.post("/api/chat", Map.of("message", "x", "userId", user(), "conversationId", conversation));
        Api.Response otherGroup = api.post("/api/chat", Map.of("message", "x", "userId", owner, "groupId", "g", "conversationId", conversation));

        for (Api.Response response : List.of(otherUser, otherGroup)) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.json().path("code").asText()).isEqualTo("CONVERSATION_NOT_FOUND");
        }
        assertThat(upstream.calls()).isEqualTo(callsBefore);
    }

    @Test
    void should_return_the_stored_turn_for_a_repeated_request_id_without_calling_again() {
        String user = user();
        Map<String, Object> request = Map.of("message", "charge my card", "userId", user, "requestId", "msg-42");
        Api.Response first = api.post("/api/chat", request);
        int calls = upstream.calls();

        Api.Response retry = api.post("/api/chat", request);
        Api.Stream streamedRetry = api.stream("/api/chat/stream", request);

        assertThat(upstream.calls()).isEqualTo(calls);
        assertThat(retry.data().path("response").asText()).isEqualTo(first.data().path("response").asText());
        assertThat(retry.data().path("conversationId").asText()).isEqualTo(first.data().path("conversationId").asText());
        assertThat(streamedRetry.text()).isEqualTo(first.data().path("response").asText());
        assertThat(streamedRetry.types()).containsExactly("start", "content", "end");
        assertThat(api.get("/api/conversations/" + first.data().path("conversationId").asText()).data().path("messages")).hasSize(2);
    }

    @Test
    void should_estimate_usage_with_a_tokenizer_when_the_upstream_reports_none() {
        upstream.always(Reply.text("Hello", " there", "!").withoutUsage());

        JsonNode usage = api.post("/api/chat", Map.of("message", "hi", "userId", user())).data().path("usage");

        assertThat(usage.path("estimated").asBoolean()).isTrue();
        assertThat(usage.path("completionTokens").asInt()).isEqualTo(3); // "Hello there!" in o200k_base
        assertThat(usage.path("promptTokens").asInt()).isGreaterThan(10);
        assertThat(usage.path("totalTokens").asInt()).isEqualTo(usage.path("promptTokens").asInt() + 3);
    }

    @Test
    void should_round_trip_unicode_exactly() {
        String text = "你好，世界 👋🏽 naïve café — Ελληνικά 🇺🇳 e\u0301";
        String user = "用户-" + System.nanoTime();
        upstream.always(Reply.text("回答：", "🙂", "👍🏽 done"));

        Api.Response chat = api.post("/api/chat", Map.of("message", text, "userId", user, "groupId", "群组"));
        String conversation = chat.data().path("conversationId").asText();

        assertThat(chat.data().path("response").asText()).isEqualTo("回答：🙂👍🏽 done");
        assertThat(upstream.requests().getLast().messages().getLast().path("content").asText()).isEqualTo(text);
        JsonNode stored = api.get("/api/conversations/" + conversation).data();
        assertThat(stored.path("userId").asText()).isEqualTo(user);
        assertThat(stored.path("groupId").asText()).isEqualTo("群组");
        assertThat(stored.path("messages").path(0).path("content").asText()).isEqualTo(text);
        assertThat(stored.path("messages").path(1).path("content").asText()).isEqualTo("回答：🙂👍🏽 done");
    }

    @Test
    void should_map_an_upstream_400_to_model_error_and_commit_nothing() {
        String user = user();
        String conversation = api.post("/api/chat", Map.of("message", "first", "userId", user)).data().path("conversationId").asText();
        upstream.always(Reply.status(400, "This model's maximum context length is 128000 tokens"));

        Api.Response refused = api.post("/api/chat", Map.of("message", "too long", "userId", user));
        Api.Stream refusedStream = api.stream("/api/chat/stream", Map.of("message", "too long", "userId", user));

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.json().path("code").asText()).isEqualTo("MODEL_ERROR");
        assertThat(refused.json().path("details").path("status").asInt()).isEqualTo(400);
        assertThat(refused.json().path("details").path("message").asText()).contains("maximum context length");
        assertThat(refusedStream.status()).isEqualTo(502); // refused before any content: an ordinary error
        assertThat(refusedStream.json().path("code").asText()).isEqualTo("MODEL_ERROR");
        JsonNode stored = api.get("/api/conversations/" + conversation).data();
        assertThat(stored.path("messageCount").asInt()).isEqualTo(2);
        assertThat(stored.path("messages")).hasSize(2);
    }

    @Test
    void should_leave_no_trace_of_a_failed_first_turn() {
        String user = user();
        upstream.always(Reply.status(400, "bad"));

        api.post("/api/chat", Map.of("message", "hello", "userId", user));

        assertThat(api.get("/api/conversations?userId=" + user).data().path("total").asInt()).isZero();
    }

    @Test
    void should_fit_history_into_the_presets_message_budget_in_whole_turns() {
        api.post("/api/presets", Map.of("id", "tiny", "name", "Tiny", "systemPrompt", "Be brief.", "maxContextMessages", 3));
        String user = user();
        for (int i = 1; i <= 4; i++) {
            api.post("/api/chat", Map.of("message", "turn " + i, "userId", user, "preset", "tiny"));
        }

        List<JsonNode> messages = upstream.requests().getLast().messages();
        // 3 allowed history messages hold one whole turn (2 messages): the newest one.
        assertThat(messages).extracting(m -> m.path("content").asText())
                .containsExactly("Be brief.", "turn 3", "echo(4): turn 3", "turn 4");
    }

    @Test
    void should_fit_history_into_the_presets_token_budget_and_never_drop_the_system_prompt() {
        String system = "You are terse. ".repeat(20);
        String longMessage = "word ".repeat(30);
        TokenCounter tokens = new TokenCounter();
        int fixed = TokenCounter.REPLY_PRIMING + tokens.countMessage(system) + tokens.countMessage("last");
        int shortTurn = tokens.countMessage("short") + tokens.countMessage("ok");
        int longTurn = tokens.countMessage(longMessage) + tokens.countMessage("ok");
        int budget = fixed + shortTurn + longTurn - 1; // room for the newer short turn, one token short of both
        api.post("/api/presets", Map.of("id", "budget", "name", "Budget", "systemPrompt", system, "maxContextTokens", budget));
        String user = user();
        upstream.always(Reply.text("ok"));
        api.post("/api/chat", Map.of("message", longMessage, "userId", user, "preset", "budget"));
        api.post("/api/chat", Map.of("message", "short", "userId", user, "preset", "budget"));
        api.post("/api/chat", Map.of("message", "last", "userId", user, "preset", "budget"));
        assertThat(upstream.requests().getLast().messages()).extracting(m -> m.path("content").asText())
                .containsExactly(system, "short", "ok", "last");

        // One token more and both turns fit.
        api.put("/api/presets/budget", Map.of("maxContextTokens", budget + 1));
        api.post("/api/chat", Map.of("message", "last", "userId", user, "preset", "budget", "newConversation", true));
        api.post("/api/chat", Map.of("message", longMessage, "userId", user, "preset", "budget"));
        api.post("/api/chat", Map.of("message", "short", "userId", user, "preset", "budget"));
        api.post("/api/chat", Map.of("message", "last", "userId", user, "preset", "budget"));
        assertThat(upstream.requests().getLast().messages()).extracting(m -> m.path("content").asText())
                .containsExactly(system, longMessage, "ok", "short", "ok", "last");

        // A budget smaller than the system prompt alone still sends it, with the new message and no history.
        api.put("/api/presets/budget", Map.of("maxContextTokens", 10));
        api.post("/api/chat", Map.of("message", "tiny", "userId", user, "preset", "budget"));
        assertThat(upstream.requests().getLast().messages()).extracting(m -> m.path("content").asText())
                .containsExactly(system, "tiny");
    }

    @Test
    void should_record_the_requests_preset_on_the_conversation() {
        api.post("/api/presets", Map.of("id", "pirate", "name", "Pirate", "systemPrompt", "Arr, {{userId}}!"));
        String user = user();
        String conversation = api.post("/api/chat", Map.of("message", "ahoy", "userId", user, "preset", "pirate"))
                .data().path("conversationId").asText();

        assertThat(upstream.requests().getLast().messages().getFirst().path("content").asText()).isEqualTo("Arr, " + user + "!");
        assertThat(api.get("/api/conversations/" + conversation).data().path("preset").asText()).isEqualTo("pirate");

        api.post("/api/chat", Map.of("message", "plain", "userId", user));
        assertThat(api.get("/api/conversations/" + conversation).data().path("preset").asText()).isEqualTo("default");
    }

    @Test
    void should_answer_unknown_preset_with_404() {
        Api.Response response = api.post("/api/chat", Map.of("message", "hi", "userId", user(), "preset", "nope"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("code").asText()).isEqualTo("PRESET_NOT_FOUND");
    }

    @Test
    void should_answer_503_when_no_channel_serves_the_model() {
        Api.Response response = api.post("/api/chat", Map.of("message", "hi", "userId", user(), "model", "no-such-model"));

        assertThat(response.status()).isEqualTo(200); // the fake channel serves "*"
        String channel = server.admin().get("/api/channels").data().path(0).path("id").asText();
        server.admin().put("/api/channels/" + channel, Map.of("models", List.of("gpt-4o-mini")));
        try {
            Api.Response unavailable = api.post("/api/chat", Map.of("message", "hi", "userId", user(), "model", "no-such-model"));
            assertThat(unavailable.status()).isEqualTo(503);
            assertThat(unavailable.json().path("code").asText()).isEqualTo("CHANNEL_UNAVAILABLE");
            assertThat(unavailable.json().path("error").asText()).contains("no-such-model");
        } finally {
            server.admin().put("/api/channels/" + channel, Map.of("models", List.of("*")));
        }
    }

    @Test
    void should_use_the_request_model_over_the_presets() {
        api.post("/api/chat", Map.of("message", "hi", "userId", user(), "model", "gpt-4.1"));

        assertThat(upstream.requests().getLast().body().path("model").asText()).isEqualTo("gpt-4.1");
    }
}
