package io.chatai.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.message.ChatMessage;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A conversation's newest messages held between turns: appends, depth, and what a read may take from it. */
class RecentWindowTest {

    private static StoredMessage message(long seq) {
        return new StoredMessage(seq, seq % 2 == 0 ? ChatMessage.Role.USER : ChatMessage.Role.ASSISTANT, "m" + seq, 1, seq);
    }

    private static List<StoredMessage> newestFirst(long newest, long oldest) {
        return LongStream.iterate(newest, s -> s >= oldest, s -> s - 1).mapToObj(RecentWindowTest::message).toList();
    }

    @Test
    void should_hold_a_whole_short_conversation_and_serve_any_depth() {
        RecentWindow window = RecentWindow.read(newestFirst(3, 0), 20);

        assertThat(window.complete()).isTrue();
        assertThat(window.covers(100)).isTrue();
        assertThat(window.newest(2)).extracting(StoredMessage::seq).containsExactly(3L, 2L);
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

        assertThat(window.newestFirst()).extracting(StoredMessage::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(window.complete()).isFalse(); // message 0 fell off
        assertThat(window.covers(6)).isFalse();
    }

    @Test
    void should_skip_committed_messages_it_already_holds() {
        RecentWindow window = RecentWindow.read(newestFirst(5, 0), 20).append(List.of(message(4), message(5), message(6)));

        assertThat(window.newestFirst()).extracting(StoredMessage::seq).containsExactly(6L, 5L, 4L, 3L, 2L, 1L, 0L);
    }

    @Test
    void should_weigh_more_with_more_text() {
        RecentWindow small = RecentWindow.read(newestFirst(1, 0), 20);
        RecentWindow large = small.append(List.of(new StoredMessage(2, ChatMessage.Role.USER, "x".repeat(10_000), 1, 2)));

        assertThat(large.weight() - small.weight()).isGreaterThan(20_000);
    }
}
