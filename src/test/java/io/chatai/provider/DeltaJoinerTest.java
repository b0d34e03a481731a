package io.chatai.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeltaJoinerTest {

    @Test
    void should_hold_a_trailing_high_surrogate_until_its_pair_arrives() {
        DeltaJoiner joiner = new DeltaJoiner();
        String emoji = "😀";

        assertThat(joiner.accept("a" + emoji.charAt(0))).isEqualTo("a");
        assertThat(joiner.holding()).isTrue();
        assertThat(joiner.accept(emoji.charAt(1) + "b")).isEqualTo(emoji + "b");
        assertThat(joiner.holding()).isFalse();
    }

    @Test
    void should_pass_whole_text_through() {
        DeltaJoiner joiner = new DeltaJoiner();

        assertThat(joiner.accept("你好😀")).isEqualTo("你好😀");
        assertThat(joiner.accept("")).isEmpty();
        assertThat(joiner.accept(String.valueOf("😀".charAt(0)))).isEmpty();
        assertThat(joiner.accept(String.valueOf("😀".charAt(1)))).isEqualTo("😀");
    }
}
