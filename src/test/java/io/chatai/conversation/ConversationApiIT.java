package io.chatai.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listing, reading, clearing and deleting conversations through the real routes. */
class ConversationApiIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withChannelFor(upstream);
    static final Api api = server.admin();

    private static String chat(String user, String group, String message) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("message", message, "userId", user, "newConversation", true));
        if (group != null) {
            body.put("groupId", group);
        }
        Api.Response response = api.post("/api/chat", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.data().path("conversationId").asText();
    }

    @Test
    void should_read_a_conversation_oldest_message_first() {
        String user = "reader-" + System.nanoTime();
        String id = chat(user, "g1", "first");
        api.post("/api/chat", Map.of("message", "second", "userId", user, "groupId", "g1", "conversationId", id));

        Api.Response response = api.get("/api/conversations/" + id);

        assertThat(response.status()).isEqualTo(200);
        JsonNode data = response.data();
        assertThat(data.path("id").asText()).isEqualTo(id);
        assertThat(data.path("userId").asText()).isEqualTo(user);
        assertThat(data.path("groupId").asText()).isEqualTo("g1");
        assertThat(data.path("preset").asText()).isEqualTo("default");
        assertThat(data.path("createdAt").asLong()).isPositive();
        assertThat(data.path("updatedAt").asLong()).isGreaterThanOrEqualTo(data.path("createdAt").asLong());
        assertThat(data.path("messages")).extracting(m -> m.path("role").asText() + ":" + m.path("content").asText())
                .containsExactly("user:first", "assistant:echo(2): first", "user:second", "assistant:echo(4): second");
        assertThat(data.path("messages")).allSatisfy(m -> assertThat(m.path("timestamp").asLong()).isPositive());
    }

    @Test
    void should_list_with_filters_paging_and_total() {
        String user = "lister-" + System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(chat(user, "ga", "in a " + i));
        }
        String inB = chat(user, "gb", "in b");
        String privateChat = chat(user, null, "private");
        chat("other-" + System.nanoTime(), "ga", "someone else");

        JsonNode all = api.get("/api/conversations?userId=" + user).data();
        assertThat(all.path("total").asInt()).isEqualTo(7);
        assertThat(all.path("conversations")).hasSize(7);
        assertThat(all.path("conversations").path(0).path("id").asText()).isEqualTo(privateChat); // newest first

        JsonNode groupA = api.get("/api/conversations?userId=" + user + "&groupId=ga&limit=2&offset=1").data();
        assertThat(groupA.path("total").asInt()).isEqualTo(5);
        assertThat(groupA.path("conversations")).extracting(c -> c.path("id").asText())
                .containsExactly(ids.get(3), ids.get(2));

        JsonNode summary = api.get("/api/conversations?userId=" + user + "&groupId=gb").data().path("conversations").path(0);
        assertThat(summary.path("id").asText()).isEqualTo(inB);
        assertThat(summary.path("userId").asText()).isEqualTo(user);
        assertThat(summary.path("groupId").asText()).isEqualTo("gb");
        assertThat(summary.path("messageCount").asInt()).isEqualTo(2);
        assertThat(summary.path("lastMessage").asText()).isEqualTo("echo(2): in b");
        assertThat(summary.path("updatedAt").asLong()).isPositive();

        JsonNode privateSummary = api.get("/api/conversations?userId=" + user + "&limit=1").data().path("conversations").path(0);
        assertThat(privateSummary.path("groupId").isNull()).isTrue();

        // Pages past the middle are read from the other end: the order must not change.
        List<String> walked = new ArrayList<>();
        for (int offset = 0; offset < 7; offset += 2) {
            api.get("/api/conversations?userId=" + user + "&limit=2&offset=" + offset).data().path("conversations")
                    .forEach(c -> walked.add(c.path("id").asText()));
        }
        List<String> whole = new ArrayList<>();
        all.path("conversations").forEach(c -> whole.add(c.path("id").asText()));
        assertThat(walked).containsExactlyElementsOf(whole);
        assertThat(api.get("/api/conversations?userId=" + user + "&limit=3&offset=5").data().path("conversations"))
                .extracting(c -> c.path("id").asText()).containsExactly(whole.get(5), whole.get(6));

        JsonNode beyond = api.get("/api/conversations?userId=" + user + "&offset=50").data();
        assertThat(beyond.path("conversations")).isEmpty();
        assertThat(beyond.path("total").asInt()).isEqualTo(7);
    }

    @Test
    void should_keep_the_unfiltered_total_exact_through_creates_failures_and_deletes() {
        long before = api.get("/api/conversations").data().path("total").asLong();
        String user = "counter-" + System.nanoTime();
        String first = chat(user, null, "one");
        chat(user, "g", "two");
        upstream.always(Reply.status(400, "refused"));
        try {
            api.post("/api/chat", Map.of("message", "never stored", "userId", user, "newConversation", true));
        } finally {
            upstream.script(FakeOpenAi::echo);
        }
        assertThat(api.get("/api/conversations").data().path("total").asLong()).isEqualTo(before + 2);

        api.post("/api/conversations/" + first + "/clear", Map.of());
        assertThat(api.get("/api/conversations").data().path("total").asLong()).isEqualTo(before + 2);
        api.delete("/api/conversations/" + first);
        assertThat(api.get("/api/conversations").data().path("total").asLong()).isEqualTo(before + 1);

        long counted = 0;
        for (int offset = 0; ; offset += 100) {
            int page = api.get("/api/conversations?limit=100&offset=" + offset).data().path("conversations").size();
            counted += page;
            if (page < 100) {
                break;
            }
        }
        assertThat(api.get("/api/conversations").data().path("total").asLong()).isEqualTo(counted);
    }

    @Test
    void should_cut_last_message_to_200_characters_without_splitting_one() {
        upstream.always(Reply.text("😀".repeat(250)));
        try {
            String user = "cutter-" + System.nanoTime();
            chat(user, null, "long answer please");
            String last = api.get("/api/conversations?userId=" + user).data().path("conversations").path(0).path("lastMessage").asText();
            assertThat(last.codePointCount(0, last.length())).isEqualTo(200);
            assertThat(last).isEqualTo("😀".repeat(200));
        } finally {
            upstream.script(FakeOpenAi::echo);
        }
    }

    @Test
    void should_reject_bad_listing_parameters() {
        for (String query : List.of("limit=0", "limit=101", "limit=abc", "offset=-1", "offset=1.5", "userId=" + "x".repeat(65))) {
            Api.Response response = api.get("/api/conversations?" + query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.json().path("code").asText()).as(query).isEqualTo("INVALID_REQUEST");
        }
    }

    @Test
    void should_clear_a_conversation_but_keep_its_id_and_scope() throws Exception {
        String user = "clearer-" + System.nanoTime();
        String id = chat(user, "g", "remember this");
        long before = api.get("/api/conversations/" + id).data().path("updatedAt").asLong();
        Thread.sleep(5);

        Api.Response cleared = api.post("/api/conversations/" + id + "/clear", Map.of());

        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().path("success").asBoolean()).isTrue();
        assertThat(cleared.json().path("message").asText()).isEqualTo("Context cleared");
        JsonNode summary = api.get("/api/conversations?userId=" + user).data().path("conversations").path(0);
        assertThat(summary.path("id").asText()).isEqualTo(id);
        assertThat(summary.path("messageCount").asInt()).isZero();
        assertThat(summary.path("lastMessage").isNull()).isTrue();
        assertThat(summary.path("updatedAt").asLong()).isGreaterThan(before);

        Api.Response next = api.post("/api/chat", Map.of("message", "what did I say?", "userId", user, "groupId", "g"));
        assertThat(next.data().path("conversationId").asText()).isEqualTo(id);
        assertThat(upstream.requests().getLast().messages()).hasSize(2); // system + new message: no history
        assertThat(api.get("/api/conversations/" + id).data().path("messages")).hasSize(2);
    }

    @Test
    void should_delete_a_conversation_and_its_messages() {
        String user = "deleter-" + System.nanoTime();
        String id = chat(user, null, "forget me");

        Api.Response deleted = api.delete("/api/conversations/" + id);
        Api.Response again = api.delete("/api/conversations/" + id);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("success").asBoolean()).isTrue();
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().path("code").asText()).isEqualTo("CONVERSATION_NOT_FOUND");
        assertThat(api.get("/api/conversations/" + id).status()).isEqualTo(404);
        assertThat(api.post("/api/conversations/" + id + "/clear", Map.of()).status()).isEqualTo(404);
        assertThat(api.get("/api/conversations?userId=" + user).data().path("total").asInt()).isZero();

        Api.Response next = api.post("/api/chat", Map.of("message", "hello again", "userId", user));
        assertThat(next.data().path("conversationId").asText()).isNotEqualTo(id);
        assertThat(upstream.requests().getLast().messages()).hasSize(2);
    }

    @Test
    void should_answer_unknown_and_malformed_ids_with_404() {
        for (String id : List.of("conv_doesnotexist0000000000", "not-an-id", "conv_%00", "conv_%F0%9F%98%80", "conv_x%20y")) {
            Api.Response response = api.get("/api/conversations/" + id);
            assertThat(response.status()).as(id).isEqualTo(404);
            assertThat(response.json().path("code").asText()).as(id).isEqualTo("CONVERSATION_NOT_FOUND");
        }
    }
}
