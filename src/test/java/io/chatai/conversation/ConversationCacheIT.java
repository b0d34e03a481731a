package io.chatai.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.ApiException;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.memory.MemoryRepository;
import io.chatai.store.Dialect;
import io.chatai.testing.TestStore;
import io.chatai.userdata.UserDataRepository;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link ConversationRepository} keeps in memory between turns on SQLite (a scope's latest conversation,
 * a conversation's newest messages): the same answers as the database, forgotten by every change that is not
 * a commit; on PostgreSQL (several instances) nothing is kept.
 */
class ConversationCacheIT {
    private static final ConversationRepository.Fence NO_FENCE = transaction -> { };

    private final TestStore store = new TestStore();
    private final ConversationRepository conversations = new ConversationRepository(store.database());
    private final boolean keeps = store.database().dialect() == Dialect.SQLITE;

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void should_answer_each_turn_with_the_same_history_the_database_holds() {
        Scope group = Scope.group("g1");
        Speaker alice = new Speaker("alice", "Alice");
        ChatMessage.Assistant call = new ChatMessage.Assistant(List.of(new Part.Text("Let me look."),
                new Part.ToolCall("call_1", "weather", "{\"city\": \"Paris\"}", "c2ln")));
        ChatMessage.Tool result = new ChatMessage.Tool("call_1", "weather", List.of(new Part.Text("{\"temp\": 21}")), false);
        ChatMessage.Assistant reasoned = new ChatMessage.Assistant(List.of(
                new Part.Reasoning("Warm.", "EqQBCkgIARAB", null, Part.Reasoning.ANTHROPIC), new Part.Text("21 degrees.")));
        List<Runnable> writes = List.of(
                () -> conversations.commit(plain("conv_g", group, true, "hi", "hello", 1_000, alice), NO_FENCE),
                () -> conversations.observe(new ConversationRepository.Observation("conv_g", group, "default", false,
                        "[Bob]: nice weather", 6, 2_000, new Speaker("bob", "Bob"), null), NO_FENCE),
                () -> conversations.commit(new TurnCommit("conv_g", group, "default", false, user("weather?"), 3, 3_000,
                        List.of(call, result), List.of(9, 4), reasoned, "Let me look.21 degrees.", 5, 3_001, "req-w",
                        "gpt-test", new TokenUsage(30, 12, false), List.of(), alice), NO_FENCE),
                () -> conversations.commit(plain("conv_g", group, false, "", "empty message", 4_000, alice), NO_FENCE));

        for (Runnable write : writes) {
            conversations.recentMessages("conv_g", 5); // warm: what memory holds is then appended to by the commit
            write.run();
            ConversationRepository cold = new ConversationRepository(store.database());
            for (int limit : new int[] {1, 2, 5, 20}) {
                assertThat(conversations.recentMessages("conv_g", limit)).isEqualTo(cold.recentMessages("conv_g", limit));
            }
            assertThat(conversations.latestId(group)).isEqualTo(cold.latestId(group)).contains("conv_g");
        }
        assertThat(conversations.recentMessages("conv_g", 20)).extracting(StoredMessage::seq)
                .containsExactly(8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
    }

    @Test
    void should_serve_the_next_turn_from_memory_on_sqlite_and_from_the_database_on_postgresql() {
        Scope scope = new Scope("carol", null);
        conversations.commit(plain("conv_c", scope, true, "hi", "hello", 1_000, null), NO_FENCE);
        conversations.recentMessages("conv_c", 20);
        conversations.latestId(scope);
        conversations.commit(plain("conv_c", scope, false, "again", "sure", 2_000, null), NO_FENCE);

        // Behind the repository's back, as no code of this process ever does: only a read sees it.
        store.execute("DELETE FROM messages WHERE conversation_id = 'conv_c'");
        store.execute("DELETE FROM conversations WHERE id = 'conv_c'");

        assertThat(conversations.recentMessages("conv_c", 20)).hasSize(keeps ? 4 : 0);
        assertThat(conversations.latestId(scope).isPresent()).isEqualTo(keeps);
    }

    @Test
    void should_read_a_deeper_history_than_memory_holds_from_the_database() {
        Scope scope = new Scope("dan", null);
        for (int i = 0; i < 5; i++) {
            conversations.commit(plain("conv_d", scope, i == 0, "q" + i, "a" + i, 1_000L * (i + 1), null), NO_FENCE);
            conversations.recentMessages("conv_d", 3); // a preset that keeps 3 messages
        }

        assertThat(conversations.recentMessages("conv_d", 3)).extracting(StoredMessage::content).containsExactly("a4", "q4", "a3");
        assertThat(conversations.recentMessages("conv_d", 6)).extracting(StoredMessage::content)
                .containsExactly("a4", "q4", "a3", "q3", "a2", "q2");
    }

    @Test
    void should_follow_the_scope_to_the_conversation_updated_last() {
        Scope scope = new Scope("erin", null);
        conversations.commit(plain("conv_1", scope, true, "first", "one", 1_000, null), NO_FENCE);
        conversations.commit(plain("conv_2", scope, true, "second", "two", 2_000, null), NO_FENCE);
        assertThat(conversations.latestId(scope)).contains("conv_2");

        conversations.commit(plain("conv_1", scope, false, "back", "to one", 3_000, null), NO_FENCE);
        assertThat(conversations.latestId(scope)).contains("conv_1");

        conversations.delete("conv_1");
        assertThat(conversations.latestId(scope)).contains("conv_2");
        assertThat(conversations.recentMessages("conv_1", 20)).isEmpty();
    }

    @Test
    void should_know_a_scope_without_a_conversation_until_its_first_commit() {
        Scope scope = new Scope("finn", null);
        assertThat(conversations.latestId(scope)).isEmpty();

        conversations.commit(plain("conv_new", scope, true, "hi", "hello", 1_000, null), NO_FENCE);

        assertThat(conversations.latestId(scope)).contains("conv_new");
    }

    @Test
    void should_forget_the_messages_of_a_cleared_conversation() {
        Scope scope = new Scope("fay", null);
        conversations.commit(plain("conv_f", scope, true, "hi", "hello", 1_000, null), NO_FENCE);
        conversations.commit(plain("conv_g", scope, true, "other", "conversation", 2_000, null), NO_FENCE);
        conversations.recentMessages("conv_f", 20);
        assertThat(conversations.latestId(scope)).contains("conv_g");

        conversations.clear("conv_f", 3_000);

        assertThat(conversations.recentMessages("conv_f", 20)).isEmpty();
        assertThat(conversations.latestId(scope)).contains("conv_f"); // cleared now: its scope's newest
    }

    @Test
    void should_forget_what_an_erasure_or_retention_removed() {
        Scope group = Scope.group("g2");
        UserDataRepository userData = new UserDataRepository(store.database(), conversations, new MemoryRepository(store.database()));
        conversations.commit(plain("conv_shared", group, true, "I am Gus", "Hi Gus", 1_000, new Speaker("gus", "Gus")), NO_FENCE);
        conversations.commit(plain("conv_shared", group, false, "I am Hal", "Hi Hal", 2_000, new Speaker("hal", "Hal")), NO_FENCE);
        conversations.commit(plain("conv_gus", new Scope("gus", null), true, "secret", "kept", 3_000, null), NO_FENCE);
        conversations.recentMessages("conv_shared", 20);
        conversations.recentMessages("conv_gus", 20);
        conversations.latestId(new Scope("gus", null));

        userData.erase("gus", 4_000);

        assertThat(conversations.recentMessages("conv_shared", 20)).extracting(StoredMessage::content)
                .containsExactly("Hi Hal", "I am Hal");
        assertThat(conversations.recentMessages("conv_gus", 20)).isEmpty();
        assertThat(conversations.latestId(new Scope("gus", null))).isEmpty();

        assertThat(userData.deleteStale(Long.MAX_VALUE, 10)).isEqualTo(1);
        assertThat(conversations.recentMessages("conv_shared", 20)).isEmpty();
        assertThat(conversations.latestId(group)).isEmpty();
    }

    @Test
    void should_read_a_history_holding_an_image_from_the_database_every_time() {
        Scope scope = new Scope("ida", null);
        ChatMessage.User picture = new ChatMessage.User(List.of(new Part.Text("this?"),
                new Part.Image(new ImageSource.Inline("image/png", "iVBORw0KGgo="), "low")), null);
        conversations.commit(new TurnCommit("conv_i", scope, "default", true, picture, 3, 1_000,
                new ChatMessage.Assistant(List.of(new Part.Text("A cat."))), 5, 1_001, null, "gpt-test",
                new TokenUsage(1, 1, false)), NO_FENCE);
        assertThat(conversations.recentMessages("conv_i", 20)).extracting(StoredMessage::message).contains(picture);

        store.execute("DELETE FROM messages WHERE conversation_id = 'conv_i'");

        assertThat(conversations.recentMessages("conv_i", 20)).isEmpty(); // its bytes are not held in memory
    }

    @Test
    void should_keep_nothing_of_a_commit_that_failed() {
        Scope scope = new Scope("jo", null);
        conversations.commit(plain("conv_j", scope, true, "hi", "hello", 1_000, null), NO_FENCE);
        conversations.recentMessages("conv_j", 20);

        assertThatThrownBy(() -> conversations.commit(plain("conv_j", scope, false, "more", "never", 2_000, null),
                transaction -> {
                    throw new ApiException(io.chatai.core.ErrorCode.CONVERSATION_BUSY, "lease lost");
                })).isInstanceOf(ApiException.class);

        assertThat(conversations.recentMessages("conv_j", 20)).extracting(StoredMessage::content).containsExactly("hello", "hi");
    }

    private static TurnCommit plain(String id, Scope scope, boolean create, String message, String reply, long at, Speaker speaker) {
        return new TurnCommit(id, scope, "default", create, user(message), 3, at,
                new ChatMessage.Assistant(List.of(new Part.Text(reply))), 5, at + 1, null, "gpt-test",
                new TokenUsage(11, 7, false), List.of(), speaker);
    }

    private static ChatMessage.User user(String text) {
        return new ChatMessage.User(text.isEmpty() ? List.of() : List.of(new Part.Text(text)), null);
    }
}
