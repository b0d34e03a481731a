package io.chatai.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Part;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A conversation's newest messages held between turns: appends, depth, and what a read may take from it. */
class RecentWindowTest {

    private static MessageRows.Row message(long seq) {
        return new MessageRows.Row(seq, seq % 2 == 0 ? ChatMessage.Role.USER : ChatMessage.Role.ASSISTANT, "m" + seq, null, 1,
                seq, null);
    }

    private static List<MessageRows.Row> newestFirst(long newest, long oldest) {
        return LongStream.iterate(newest, s -> s >= oldest, s -> s - 1).mapToObj(RecentWindowTest::message).toList();
    }

    @Test
    void should_hold_a_whole_short_conversation_and_serve_any_depth() {
        RecentWindow window = RecentWindow.read(newestFirst(3, 0), 20);

        assertThat(window.complete()).isTrue();
        assertThat(window.covers(100)).isTrue();
        assertThat(window.newest(2, "conv")).extracting(StoredMessage::seq).containsExactly(3L, 2L);
    }

    @Test
    void should_serve_no_deeper_than_it_read_from_a_longer_conversation() {
        RecentWindow window = RecentWindow.read(newestFirst(9, 6), 4);

        assertThat(window.complete()).isFalse();
        assertThat(window.covers(4)).isTrue();
        assertThat(window.covers(5)).isFalse();
    }

    @Test
    void should_put_a_commit_in_front_and_let_the_oldest_fall_off_beyond_its_depth() {
        RecentWindow window = RecentWindow.read(newestFirst(3, 0), 5).append(List.of(message(4), message(5)));

        assertThat(window.newest(20, "conv")).extracting(StoredMessage::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(window.complete()).isFalse(); // message 0 fell off
        assertThat(window.covers(6)).isFalse();
    }

    @Test
    void should_skip_committed_messages_it_already_holds() {
        RecentWindow window = RecentWindow.read(newestFirst(5, 0), 20).append(List.of(message(4), message(5), message(6)));

        assertThat(window.newest(20, "conv")).extracting(StoredMessage::seq).containsExactly(6L, 5L, 4L, 3L, 2L, 1L, 0L);
    }

    @Test
    void should_weigh_more_with_more_text() {
        RecentWindow small = RecentWindow.read(newestFirst(1, 0), 20);
        RecentWindow large = small.append(List.of(new MessageRows.Row(2, ChatMessage.Role.USER, "x".repeat(10_000), null, 1, 2, null)));

        assertThat(large.weight() - small.weight()).isGreaterThan(10_000);
    }

    @Test
    void should_give_back_each_message_as_decoding_its_row_would() {
        MessageRows.Row plain = message(1);
        MessageRows.Row toolCall = new MessageRows.Row(2, ChatMessage.Role.ASSISTANT, "Let me look.",
                MessageRows.parts(new ChatMessage.Assistant(List.of(new Part.Text("Let me look."),
                        new Part.ToolCall("call_1", "weather", "{\"city\": \"Paris\"}", null)))), 7, 2, null);
        MessageRows.Row spoken = new MessageRows.Row(3, ChatMessage.Role.USER, "héllo 你好 👋", null, 4, 3,
                new Speaker("alice", "Alice"));
        MessageRows.Row unnamed = new MessageRows.Row(4, ChatMessage.Role.USER, "", null, 0, 4, new Speaker("bob", null));
        List<MessageRows.Row> rows = List.of(unnamed, spoken, toolCall, plain);

        List<StoredMessage> held = RecentWindow.read(rows, 20).newest(20, "conv");

        assertThat(held).isEqualTo(rows.stream().map(row -> row.decode("conv", (id, type) -> null)).toList());
        assertThat(held.get(1).speaker()).isEqualTo(new Speaker("alice", "Alice"));
        assertThat(held.get(2).message()).isInstanceOf(ChatMessage.Assistant.class);
        assertThat(((ChatMessage.Assistant) held.get(2).message()).toolCalls()).hasSize(1);
    }
}
