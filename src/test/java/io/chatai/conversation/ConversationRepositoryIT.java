package io.chatai.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The conversation store on the database under test (SQLite, and PostgreSQL in the second run). */
class ConversationRepositoryIT {
    private static final ConversationRepository.Fence NO_FENCE = transaction -> { };

    private final TestStore store = new TestStore();
    private final ConversationRepository conversations = new ConversationRepository(store.database());

    @AfterEach
    void close() {
        store.close();
    }

    private static TurnCommit turn(String id, Scope scope, boolean create, String message, String reply, long at, String requestId) {
        return turn(id, scope, create, user(message), new ChatMessage.Assistant(List.of(new Part.Text(reply))), at, requestId);
    }

    private static TurnCommit turn(String id, Scope scope, boolean create, ChatMessage.User message, ChatMessage.Assistant reply,
                                   long at, String requestId) {
        return new TurnCommit(id, scope, "default", create, message, 3, at, reply, 5, at + 1, requestId, "gpt-test",
                new TokenUsage(11, 7, false));
    }

    private static ChatMessage.User user(String text) {
        return new ChatMessage.User(List.of(new Part.Text(text)), null);
    }

    @Test
    void should_store_whole_turns_in_order_with_counters_and_the_request_id() {
        Scope scope = new Scope("alice", null);
        conversations.commit(turn("conv_a", scope, true, "hi", "hello", 1_000, "req-1"), NO_FENCE);
        conversations.commit(turn("conv_a", scope, false, "again", "once more", 2_000, null), NO_FENCE);

        Conversation stored = conversations.find("conv_a").orElseThrow();
        assertThat(stored.scope()).isEqualTo(scope);
        assertThat(stored.messageCount()).isEqualTo(4);
        assertThat(stored.lastMessage()).isEqualTo("once more");
        assertThat(stored.createdAt()).isEqualTo(1_000);
        assertThat(stored.updatedAt()).isEqualTo(2_001);
        assertThat(conversations.messages("conv_a")).extracting(StoredMessage::seq, StoredMessage::role, StoredMessage::content)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, ChatMessage.Role.USER, "hi"),
                        org.assertj.core.groups.Tuple.tuple(1L, ChatMessage.Role.ASSISTANT, "hello"),
                        org.assertj.core.groups.Tuple.tuple(2L, ChatMessage.Role.USER, "again"),
                        org.assertj.core.groups.Tuple.tuple(3L, ChatMessage.Role.ASSISTANT, "once more"));
        assertThat(conversations.recentMessages("conv_a", 3)).extracting(StoredMessage::seq).containsExactly(3L, 2L, 1L);
        StoredTurn replay = conversations.findTurn(scope, "req-1").orElseThrow();
        assertThat(replay.conversationId()).isEqualTo("conv_a");
        assertThat(replay.response()).isEqualTo("hello");
        assertThat(replay.usage()).isEqualTo(new TokenUsage(11, 7, false));
        assertThat(conversations.findTurn(new Scope("alice", "g1"), "req-1")).isEmpty();
    }

    @Test
    void should_store_nothing_when_the_fence_vetoes_the_commit() {
        Scope scope = new Scope("bob", "g1");
        ConversationRepository.Fence lostLease = transaction -> {
            throw new ApiException(ErrorCode.CONVERSATION_BUSY, "lease lost");
        };

        assertThatThrownBy(() -> conversations.commit(turn("conv_b", scope, true, "hi", "hello", 1_000, "req-1"), lostLease))
                .isInstanceOf(ApiException.class);

        assertThat(conversations.find("conv_b")).isEmpty();
        assertThat(conversations.findTurn(scope, "req-1")).isEmpty();
        assertThat(conversations.list(null, null, 10, 0).total()).isZero();
    }

    @Test
    void should_run_the_fence_inside_the_commits_transaction() {
        Scope scope = new Scope("carol", null);
        // The fence writes; the commit then fails (the conversation is gone): the fence's write goes too.
        ConversationRepository.Fence writingFence = transaction ->
                transaction.update("UPDATE conversation_total SET total = total + 100 WHERE id = 1").execute();

        assertThatThrownBy(() -> conversations.commit(turn("conv_gone", scope, false, "hi", "hello", 1_000, null), writingFence))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONVERSATION_NOT_FOUND));

        assertThat(conversations.list(null, null, 10, 0).total()).isZero();
    }

    @Test
    void should_list_newest_first_with_filters_and_from_either_end() {
        for (int i = 0; i < 7; i++) {
            Scope scope = new Scope(i % 2 == 0 ? "even" : "odd", i < 4 ? "g1" : null);
            conversations.commit(turn("conv_" + i, scope, true, "m" + i, "r" + i, 1_000L * i, null), NO_FENCE);
        }

        assertThat(ids(conversations.list(null, null, 3, 0))).containsExactly("conv_6", "conv_5", "conv_4");
        assertThat(ids(conversations.list(null, null, 3, 5))).containsExactly("conv_1", "conv_0");
        assertThat(conversations.list(null, null, 3, 5).total()).isEqualTo(7);
        assertThat(ids(conversations.list("even", null, 10, 0))).containsExactly("conv_6", "conv_4", "conv_2", "conv_0");
        assertThat(ids(conversations.list("even", "g1", 10, 0))).containsExactly("conv_2", "conv_0");
        assertThat(conversations.list(null, "g1", 1, 0).total()).isEqualTo(4);
        assertThat(conversations.latestId(new Scope("odd", null))).contains("conv_5");
    }

    @Test
    void should_clear_messages_but_keep_the_conversation_and_delete_it_with_everything() {
        Scope scope = new Scope("dave", null);
        conversations.commit(turn("conv_d", scope, true, "hi", "hello", 1_000, "req-d"), NO_FENCE);

        assertThat(conversations.clear("conv_d", 5_000)).isTrue();
        assertThat(conversations.messages("conv_d")).isEmpty();
        assertThat(conversations.find("conv_d").orElseThrow().messageCount()).isZero();
        conversations.commit(turn("conv_d", scope, false, "after", "clear", 6_000, null), NO_FENCE);
        assertThat(conversations.messages("conv_d")).extracting(StoredMessage::seq).containsExactly(2L, 3L);

        assertThat(conversations.delete("conv_d")).isTrue();
        assertThat(conversations.delete("conv_d")).isFalse();
        assertThat(conversations.find("conv_d")).isEmpty();
        assertThat(conversations.findTurn(scope, "req-d")).isEmpty();
        assertThat(conversations.list(null, null, 10, 0).total()).isZero();
        assertThat(conversations.clear("conv_d", 7_000)).isFalse();
    }

    @Test
    void should_keep_the_last_message_to_200_characters_without_splitting_one() {
        String reply = "é".repeat(150) + "😀".repeat(100);
        conversations.commit(turn("conv_e", new Scope("erin", null), true, "hi", reply, 1_000, null), NO_FENCE);

        String last = conversations.find("conv_e").orElseThrow().lastMessage();
        assertThat(last.codePointCount(0, last.length())).isEqualTo(200);
        assertThat(reply).startsWith(last);
        assertThat(conversations.messages("conv_e").get(1).content()).isEqualTo(reply);
    }

    @Test
    void should_store_and_read_back_everything_a_turn_produced() {
        Scope scope = new Scope("frank", null);
        ChatMessage.User question = new ChatMessage.User(List.of(new Part.Text("What is in "),
                new Part.Image(new ImageSource.Inline("image/png", "iVBORw0KGgo="), "low"), new Part.Text("?")), null);
        ChatMessage.Assistant answer = new ChatMessage.Assistant(List.of(
                new Part.Reasoning("The user asks about the picture.", "EqQBCkgIARAB+/sig==", null, Part.Reasoning.ANTHROPIC),
                new Part.Reasoning(null, null, "EmwKAhgBEgy3va3pzix/", Part.Reasoning.ANTHROPIC),
                new Part.Text("A cat."),
                new Part.ToolCall("call_1", "zoom", "{\"factor\": 2}", "CiQB0e2K")));
        conversations.commit(turn("conv_f", scope, true, question, answer, 1_000, "req-f"), NO_FENCE);

        List<StoredMessage> stored = conversations.messages("conv_f");
        assertThat(stored).extracting(StoredMessage::message).containsExactly(question, answer);
        assertThat(conversations.recentMessages("conv_f", 2)).extracting(StoredMessage::message).containsExactly(answer, question);
        // Listings and replays keep showing the text only.
        assertThat(stored).extracting(StoredMessage::content).containsExactly("What is in ?", "A cat.");
        assertThat(conversations.find("conv_f").orElseThrow().lastMessage()).isEqualTo("A cat.");
        assertThat(conversations.findTurn(scope, "req-f").orElseThrow().response()).isEqualTo("A cat.");
    }

    @Test
    void should_store_no_parts_for_a_message_that_is_exactly_its_text() {
        conversations.commit(turn("conv_g", new Scope("gina", null), true, "hi", "hello", 1_000, null), NO_FENCE);

        // parts is the last column (added by V8): null on both rows, the text lives in content alone.
        assertThat(store.dump("messages").lines()).hasSize(2).allMatch(row -> row.endsWith("|null|"));
        assertThat(conversations.messages("conv_g")).extracting(StoredMessage::message)
                .containsExactly(user("hi"), new ChatMessage.Assistant(List.of(new Part.Text("hello"))));
    }

    @Test
    void should_read_messages_stored_before_parts_existed_as_text() {
        Path dataDir = TestServer.newDataDir();
        TestStore.migrateBefore(dataDir, "8",
                "INSERT INTO conversations (id, user_id, group_id, preset_id, created_at, updated_at, message_count, "
                        + "last_message, next_seq) VALUES ('conv_old', 'hana', '', 'default', 1000, 1001, 2, 'Hi Hana', 2)",
                "INSERT INTO messages (conversation_id, seq, role, content, tokens, created_at) VALUES "
                        + "('conv_old', 0, 'user', 'Hello', 2, 1000), ('conv_old', 1, 'assistant', 'Hi Hana', 3, 1001)");

        try (TestStore upgraded = new TestStore(dataDir)) {
            ConversationRepository repository = new ConversationRepository(upgraded.database());

            assertThat(repository.recentMessages("conv_old", 2)).extracting(StoredMessage::message)
                    .containsExactly(new ChatMessage.Assistant(List.of(new Part.Text("Hi Hana"))), user("Hello"));
            assertThat(repository.messages("conv_old")).extracting(StoredMessage::content, StoredMessage::tokens)
                    .containsExactly(tuple("Hello", 2), tuple("Hi Hana", 3));
            repository.commit(turn("conv_old", new Scope("hana", null), false, "more", "sure", 2_000, null), NO_FENCE);
            assertThat(repository.messages("conv_old")).extracting(StoredMessage::seq).containsExactly(0L, 1L, 2L, 3L);
        }
    }

    @Test
    void should_fall_back_to_the_text_of_parts_it_cannot_read() {
        conversations.commit(turn("conv_h", new Scope("ivan", null), true, "hi", "hello", 1_000, null), NO_FENCE);
        store.execute("UPDATE messages SET parts = '{\"v\":99,\"parts\":[]}' WHERE conversation_id = 'conv_h' AND seq = 1");

        assertThat(conversations.messages("conv_h").get(1).message()).isEqualTo(new ChatMessage.Assistant(List.of(new Part.Text("hello"))));
        assertThat(store.dump("messages")).contains("\"v\":99"); // read around, never rewritten
    }

    private static List<String> ids(ConversationRepository.Page page) {
        return page.conversations().stream().map(Conversation::id).toList();
    }
}
