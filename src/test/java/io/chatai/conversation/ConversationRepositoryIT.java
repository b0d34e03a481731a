package io.chatai.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.TestStore;
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
        return new TurnCommit(id, scope, "default", create, message, 3, at, reply, 5, at + 1, requestId, "gpt-test",
                new TokenUsage(11, 7, false));
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
        assertThat(conversations.latest(new Scope("odd", null))).map(Conversation::id).contains("conv_5");
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

    private static List<String> ids(ConversationRepository.Page page) {
        return page.conversations().stream().map(Conversation::id).toList();
    }
}
