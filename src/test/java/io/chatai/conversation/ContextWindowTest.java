package io.chatai.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ChatMessage.Role;
import io.chatai.core.message.Part;
import io.chatai.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextWindowTest {
    private static final ChatMessage NEW = ChatMessage.user("new");

    /** Turns 1..n, newest first, each message costing {@code tokens}. */
    private static List<StoredMessage> history(int turns, int tokens) {
        List<StoredMessage> newestFirst = new ArrayList<>();
        for (int turn = turns; turn >= 1; turn--) {
            newestFirst.add(new StoredMessage(2L * turn - 1, Role.ASSISTANT, "a" + turn, tokens, 0));
            newestFirst.add(new StoredMessage(2L * turn - 2, Role.USER, "q" + turn, tokens, 0));
        }
        return newestFirst;
    }

    private static List<String> contents(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::text).toList();
    }

    @Test
    void should_send_system_then_history_oldest_first_then_the_new_message() {
        List<ChatMessage> messages = ContextWindow.build("sys", 1, history(2, 1), NEW, 1, 20, 10_000);

        assertThat(contents(messages)).containsExactly("sys", "q1", "a1", "q2", "a2", "new");
        assertThat(messages).extracting(ChatMessage::role)
                .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER);
    }

    @Test
    void should_keep_only_whole_newest_turns_within_the_message_budget() {
        assertThat(contents(ContextWindow.build("sys", 1, history(5, 1), NEW, 1, 5, 10_000)))
                .containsExactly("sys", "q4", "a4", "q5", "a5", "new");
        assertThat(contents(ContextWindow.build("sys", 1, history(5, 1), NEW, 1, 1, 10_000)))
                .containsExactly("sys", "new");
        assertThat(contents(ContextWindow.build("sys", 1, history(5, 1), NEW, 1, 0, 10_000)))
                .containsExactly("sys", "new");
    }

    @Test
    void should_keep_only_whole_newest_turns_within_the_token_budget() {
        int fixed = TokenCounter.REPLY_PRIMING + (10 + TokenCounter.PER_MESSAGE) + (5 + TokenCounter.PER_MESSAGE);
        int turn = 2 * (20 + TokenCounter.PER_MESSAGE);

        assertThat(contents(ContextWindow.build("sys", 10, history(3, 20), NEW, 5, 100, fixed + 2 * turn)))
                .containsExactly("sys", "q2", "a2", "q3", "a3", "new");
        assertThat(contents(ContextWindow.build("sys", 10, history(3, 20), NEW, 5, 100, fixed + 2 * turn - 1)))
                .containsExactly("sys", "q3", "a3", "new");
    }

    @Test
    void should_never_drop_the_system_prompt_or_the_new_message() {
        assertThat(contents(ContextWindow.build("a very long system prompt", 5_000, history(3, 1), NEW, 3_000, 20, 100)))
                .containsExactly("a very long system prompt", "new");
    }

    @Test
    void should_omit_an_empty_system_prompt() {
        assertThat(contents(ContextWindow.build("", 0, history(1, 1), NEW, 1, 20, 1000))).containsExactly("q1", "a1", "new");
    }

    @Test
    void should_not_skip_a_large_turn_to_reach_an_older_small_one() {
        List<StoredMessage> newestFirst = new ArrayList<>(history(1, 1));
        newestFirst.addAll(0, List.of(new StoredMessage(3, Role.ASSISTANT, "big", 500, 0), new StoredMessage(2, Role.USER, "q2", 1, 0)));

        assertThat(contents(ContextWindow.build("sys", 1, newestFirst, NEW, 1, 20, 100))).containsExactly("sys", "new");
    }

    @Test
    void should_send_history_as_the_turns_produced_it_with_reasoning_and_tool_calls() {
        ChatMessage.Assistant answer = new ChatMessage.Assistant(List.of(
                new Part.Reasoning("thinking", "sig", null, Part.Reasoning.ANTHROPIC),
                new Part.ToolCall("call_1", "lookup", "{}", null),
                new Part.Text("a1")));
        List<StoredMessage> newestFirst = List.of(new StoredMessage(1, answer, "a1", 1, 0),
                new StoredMessage(0, Role.USER, "q1", 1, 0));

        List<ChatMessage> messages = ContextWindow.build("sys", 1, newestFirst, NEW, 1, 20, 10_000);

        assertThat(messages.get(2)).isSameAs(answer);
        assertThat(messages.getLast()).isSameAs(NEW);
    }

    @Test
    void should_read_as_many_rows_as_the_message_budget_since_tool_turns_have_odd_sizes() {
        assertThat(ContextWindow.historyRowsFor(20)).isEqualTo(20);
        assertThat(ContextWindow.historyRowsFor(3)).isEqualTo(3);
        assertThat(ContextWindow.historyRowsFor(0)).isZero();
    }

    @Test
    void should_keep_or_drop_a_tool_turn_whole_counting_its_steps_as_messages() {
        ChatMessage call = new ChatMessage.Assistant(List.of(new Part.ToolCall("c1", "kit__echo", "{}", null)));
        ChatMessage result = new ChatMessage.Tool("c1", "kit__echo", List.of(new Part.Text("r")), false);
        // newest first: a plain turn (q2/a2), then a tool turn (q1, call, result, a1)
        List<StoredMessage> newestFirst = List.of(new StoredMessage(5, Role.ASSISTANT, "a2", 1, 0),
                new StoredMessage(4, Role.USER, "q2", 1, 0),
                new StoredMessage(3, Role.ASSISTANT, "a1", 1, 0),
                new StoredMessage(2, result, "r", 1, 0),
                new StoredMessage(1, call, "", 1, 0),
                new StoredMessage(0, Role.USER, "q1", 1, 0));

        assertThat(ContextWindow.build("", 0, newestFirst, NEW, 1, 6, 10_000)).extracting(ChatMessage::text)
                .containsExactly("q1", "", "r", "a1", "q2", "a2", "new");
        // five messages allowed: the tool turn (four) does not fit beside the plain one, and goes whole
        assertThat(ContextWindow.build("", 0, newestFirst, NEW, 1, 5, 10_000)).extracting(ChatMessage::text)
                .containsExactly("q2", "a2", "new");
        // a read that cut the tool turn (no user message) leaves it out
        assertThat(ContextWindow.build("", 0, newestFirst.subList(0, 5), NEW, 1, 20, 10_000)).extracting(ChatMessage::text)
                .containsExactly("q2", "a2", "new");
    }
}
