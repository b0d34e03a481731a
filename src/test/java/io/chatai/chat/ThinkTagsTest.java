package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThinkTagsTest {

    /** Feeds the text cut at every given position, as a stream would, and joins what comes out. */
    private static String[] streamed(String whole, int... cuts) {
        ThinkTags tags = new ThinkTags();
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        int from = 0;
        for (int cut : cuts) {
            ThinkTags.Split split = tags.accept(whole.substring(from, cut));
            text.append(split.text());
            reasoning.append(split.reasoning());
            from = cut;
        }
        ThinkTags.Split split = tags.accept(whole.substring(from));
        text.append(split.text());
        reasoning.append(split.reasoning());
        ThinkTags.Split end = tags.finish();
        return new String[]{text.append(end.text()).toString(), reasoning.append(end.reasoning()).toString()};
    }

    @Test
    void should_move_a_think_block_out_of_the_answer_wherever_the_chunks_are_cut() {
        String whole = "<think>User greets. Be kind.</think>\n\nHello there!";
        for (int a = 0; a <= whole.length(); a++) {
            for (int b = a; b <= whole.length(); b++) {
                assertThat(streamed(whole, a, b)).as("cut at %d and %d", a, b)
                        .containsExactly("Hello there!", "User greets. Be kind.");
            }
        }
    }

    @Test
    void should_leave_text_alone_that_only_looks_like_a_tag() {
        assertThat(streamed("a < b and <thin ice>", 3, 12)).containsExactly("a < b and <thin ice>", "");
        assertThat(streamed("ends with <thi", 12)).containsExactly("ends with <thi", "");
    }

    @Test
    void should_hold_back_nothing_but_a_possible_tag() {
        ThinkTags tags = new ThinkTags();
        assertThat(tags.accept("Hello <th").text()).isEqualTo("Hello ");
        assertThat(tags.accept("ere").text()).isEqualTo("<there");
    }

    @Test
    void should_separate_several_blocks_and_an_unclosed_one_in_a_stored_answer() {
        ChatMessage.Assistant answer = new ChatMessage.Assistant(List.of(new Part.Text(
                "<think>one</think>A<think>two</think>B<think>never closed")));
        ChatMessage.Assistant separated = ThinkTags.separate(answer);
        assertThat(separated.text()).isEqualTo("AB");
        assertThat(ThinkTags.reasoningOf(separated)).isEqualTo("onetwonever closed");
        assertThat(separated.content().getFirst()).isEqualTo(Part.Reasoning.text("onetwonever closed", null));
        ChatMessage.Assistant plain = new ChatMessage.Assistant(List.of(new Part.Text("no tags")));
        assertThat(ThinkTags.separate(plain)).isSameAs(plain);
    }
}
