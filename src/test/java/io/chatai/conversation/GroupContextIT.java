package io.chatai.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group context (memory.md): a preset with {@code context: "group"} gives a group one shared conversation
 * with every message attributed to its speaker, {@code reply: false} records what the bot saw without a
 * model call, turns stay serialized, rate limits stay per user, and erasing a user takes their messages
 * out of the group's conversation.
 */
class GroupContextIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(upstream)
            .withEnv("CHATAI_USER_RATE_LIMIT_PER_MINUTE", "30");
    static final Api api = server.admin();

    @BeforeAll
    static void presets() {
        assertThat(api.post("/api/presets", Map.of("id", "room", "name", "Room", "systemPrompt", "You are Remy.",
                "context", "group", "maxContextMessages", 6)).status()).isEqualTo(201);
    }

    @BeforeEach
    void channel() {
        upstream.always(Reply.text("ok"));
        server.resetChannels(upstream);
    }

    private static String group() {
        return "g" + System.nanoTime();
    }

    private static Api.Response say(String group, String user, String name, String message, boolean reply) {
        Map<String, Object> body = new HashMap<>(Map.of("message", message, "userId", user, "groupId", group,
                "preset", "room", "reply", reply));
        if (name != null) {
            body.put("userName", name);
        }
        return api.post("/api/chat", body);
    }

    private static FakeUpstream.Recorded lastTurnWith(String text) {
        return upstream.requests().stream().filter(r -> r.body().toString().contains(text)).toList().getLast();
    }

    @Test
    void should_share_one_conversation_per_group_with_each_message_attributed_to_its_speaker() {
        String group = group();
        Api.Response alice = say(group, "u1", "Alice", "I love tea", true);
        Api.Response bob = say(group, "u2", "Bob", "What does Alice love?", true);

        assertThat(alice.status()).isEqualTo(200);
        assertThat(bob.data().path("conversationId").asText()).isEqualTo(alice.data().path("conversationId").asText());
        FakeUpstream.Recorded turn = lastTurnWith("What does Alice love?");
        assertThat(upstream.conversationOf(turn)).containsExactly("user: [Alice(u1)]: I love tea", "assistant: ok",
                "user: [Bob(u2)]: What does Alice love?");
        String system = upstream.systemPromptOf(turn);
        assertThat(system).startsWith("You are Remy.");
        assertThat(system).contains("group chat").containsOnlyOnce("\n");

        // A private chat with the same preset keeps its own per-user conversation.
        Api.Response alone = api.post("/api/chat", Map.of("message", "Just me", "userId", "u1", "preset", "room"));
        assertThat(alone.data().path("conversationId").asText()).isNotEqualTo(alice.data().path("conversationId").asText());
        assertThat(upstream.conversationOf(lastTurnWith("Just me"))).containsExactly("user: Just me");

        JsonNode listed = api.get("/api/conversations?groupId=" + group).data();
        assertThat(listed.path("total").asInt()).isEqualTo(1);
        assertThat(listed.path("conversations").get(0).path("userId").isNull()).isTrue();
        JsonNode messages = api.get("/api/conversations/" + alice.data().path("conversationId").asText()).data().path("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0).path("content").asText()).isEqualTo("I love tea");
        assertThat(messages.get(0).path("userId").asText()).isEqualTo("u1");
        assertThat(messages.get(0).path("userName").asText()).isEqualTo("Alice");
        assertThat(messages.get(2).path("userId").asText()).isEqualTo("u2");
        assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(1).path("userId").isNull()).isTrue();
    }

    @Test
    void should_record_observed_messages_without_a_model_call_and_send_them_with_the_next_turn() {
        String group = group();
        int calls = upstream.calls();
        server.flushUsage();
        long requests = api.get("/api/stats/usage?groupId=" + group).data().path("totals").path("requests").asLong();
        for (int i = 1; i <= 7; i++) {
            Api.Response observed = say(group, "u" + i, "P" + i, "message " + i, false);
            assertThat(observed.status()).isEqualTo(200);
            assertThat(observed.data().path("status").asText()).isEqualTo("observed");
            assertThat(observed.data().path("conversationId").asText()).startsWith("conv_");
        }
        assertThat(upstream.calls()).isEqualTo(calls);
        server.flushUsage();
        assertThat(api.get("/api/stats/usage?groupId=" + group).data().path("totals").path("requests").asLong())
                .isEqualTo(requests);

        Api.Response addressed = say(group, "u9", null, "Remy, what were we saying?", true);
        assertThat(addressed.status()).isEqualTo(200);
        // maxContextMessages 6: the newest six observed messages, oldest first out; a speaker without a name by id
        assertThat(upstream.conversationOf(lastTurnWith("what were we saying"))).containsExactly(
                "user: [P2(u2)]: message 2", "user: [P3(u3)]: message 3", "user: [P4(u4)]: message 4",
                "user: [P5(u5)]: message 5", "user: [P6(u6)]: message 6", "user: [P7(u7)]: message 7",
                "user: [u9]: Remy, what were we saying?");
        JsonNode conversation = api.get("/api/conversations/" + addressed.data().path("conversationId").asText()).data();
        assertThat(conversation.path("messageCount").asInt()).isEqualTo(9);
    }

    @Test
    void should_refuse_what_group_context_cannot_take() {
        String group = group();
        assertThat(say(group, "u1", "x".repeat(65), "hi", true).json().path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(say(group, "u1", "two\nlines", "hi", true).json().path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(api.post("/api/chat", Map.of("message", "hi", "userId", "u1", "preset", "room", "reply", false))
                .json().path("error").asText()).contains("groupId");
        assertThat(api.post("/api/chat", Map.of("message", "hi", "userId", "u1", "groupId", group, "reply", false))
                .json().path("error").asText()).contains("context");
        assertThat(api.post("/api/chat/stream", Map.of("message", "hi", "userId", "u1", "groupId", group, "preset", "room",
                "reply", false)).status()).isEqualTo(400);
        assertThat(api.get("/api/conversations?groupId=" + group).data().path("total").asInt()).isZero();
    }

    @Test
    void should_serialize_the_turns_of_a_group() throws Exception {
        String group = group();
        upstream.script(body -> body.toString().contains("first") ? Reply.text("one").withFirstByte(Duration.ofMillis(800))
                : Reply.text("two"));
        CompletableFuture<Api.Response> first = CompletableFuture.supplyAsync(() -> say(group, "u1", "A", "first", true));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (upstream.requests().stream().noneMatch(r -> r.body().toString().contains("first"))) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
        Api.Response second = say(group, "u2", "B", "second", true);
        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        // The second turn waited for the first: it saw the first's question and answer.
        assertThat(upstream.conversationOf(lastTurnWith("second"))).containsExactly("user: [A(u1)]: first",
                "assistant: one", "user: [B(u2)]: second");
    }

    @Test
    void should_keep_rate_limits_per_user_in_a_shared_conversation() {
        String group = group();
        String heavy = "heavy" + System.nanoTime();
        int status = 200;
        for (int i = 0; i < 31 && status == 200; i++) {
            status = say(group, heavy, null, "spam " + i, false).status();
        }
        assertThat(status).isEqualTo(429);
        assertThat(say(group, "quiet" + System.nanoTime(), null, "hello", true).status()).isEqualTo(200);
    }

    @Test
    void should_take_an_erased_users_messages_and_the_answers_to_them_out_of_the_group() {
        String group = group();
        String gone = "gone" + System.nanoTime();
        say(group, "stays", "S", "I stay", true);
        say(group, gone, "G", "Forget me", true);
        say(group, gone, "G", "I saw this", false);
        String id = say(group, "stays", "S", "Still here", true).data().path("conversationId").asText();

        JsonNode export = api.get("/api/users/" + gone + "/data").data();
        assertThat(export.toString()).contains("Forget me").contains("I saw this").doesNotContain("I stay");
        JsonNode erased = api.delete("/api/users/" + gone + "/data").data();
        assertThat(erased.path("messages").asInt()).isEqualTo(3); // two of theirs and the answer to one
        assertThat(erased.path("conversations").asInt()).isZero(); // the group's conversation is not theirs

        JsonNode conversation = api.get("/api/conversations/" + id).data();
        assertThat(conversation.path("messages").findValuesAsText("content"))
                .containsExactly("I stay", "ok", "Still here", "ok");
        assertThat(conversation.path("messageCount").asInt()).isEqualTo(4);
        assertThat(conversation.toString()).doesNotContain(gone);
        assertThat(upstream.conversationOf(lastTurnWith("Still here"))).contains("user: [G(" + gone + ")]: Forget me");
        say(group, "stays", "S", "And now?", true);
        assertThat(String.join("\n", upstream.conversationOf(lastTurnWith("And now?")))).doesNotContain(gone);
        assertThat(List.of(conversation.path("lastMessage").asText())).containsExactly("ok");
    }
}
