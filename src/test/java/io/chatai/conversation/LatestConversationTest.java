package io.chatai.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.conversation.ConversationCache.Latest;
import org.junit.jupiter.api.Test;

/** A scope's latest conversation kept in step with writes, as the scope index orders them (updated_at, then id). */
class LatestConversationTest {

    @Test
    void should_follow_a_write_to_a_newer_or_first_conversation() {
        assertThat(Latest.NONE.after("conv_a", 1_000)).isEqualTo(new Latest("conv_a", 1_000));
        assertThat(new Latest("conv_a", 1_000).after("conv_b", 1_001)).isEqualTo(new Latest("conv_b", 1_001));
        assertThat(new Latest("conv_a", 1_000).after("conv_a", 2_000)).isEqualTo(new Latest("conv_a", 2_000));
    }

    @Test
    void should_break_a_tie_of_updated_at_by_the_greater_id_as_the_index_does() {
        assertThat(new Latest("conv_b", 1_000).after("conv_a", 1_000)).isEqualTo(new Latest("conv_b", 1_000));
        assertThat(new Latest("conv_a", 1_000).after("conv_b", 1_000)).isEqualTo(new Latest("conv_b", 1_000));
    }

    @Test
    void should_keep_the_latest_when_an_older_conversation_is_written_with_an_older_time() {
        assertThat(new Latest("conv_b", 2_000).after("conv_a", 1_500)).isEqualTo(new Latest("conv_b", 2_000));
    }

    @Test
    void should_not_know_when_the_latest_itself_moved_back_in_time() {
        assertThat(new Latest("conv_a", 2_000).after("conv_a", 1_000)).isNull(); // another may lead now: read again
    }
}
