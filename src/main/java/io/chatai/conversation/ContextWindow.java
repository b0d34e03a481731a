package io.chatai.conversation;

import io.chatai.core.message.ChatMessage;
import io.chatai.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds what a turn sends upstream: the system prompt (never dropped), then the newest whole turns of
 * history that fit both the message and the token budget, then the new user message. Old turns go
 * first and whole, so the model never sees a question without its answer; an observed message (a group
 * message recorded without a reply: a user message not followed by an answer) is a unit of its own, and
 * goes oldest first out like any turn. Stateless.
 */
public final class ContextWindow {
    private ContextWindow() {
    }

    /** The history rows worth reading for a message budget: whole turns only. */
    public static int historyRowsFor(int maxContextMessages) {
        return maxContextMessages - maxContextMessages % 2;
    }

    /**
     * @param systemTokens tokens of the system prompt's text (0 when it is empty)
     * @param newestFirst  committed history, newest message first: whole turns (assistant, then user) and observed
     *                     user messages
     * @param userMessage  the new message
     * @param userTokens   tokens of the new message's text
     * @param maxMessages  history messages allowed (the system prompt and the new message not counted)
     * @param maxTokens    prompt tokens allowed in all; history only gets what the rest leaves
     */
    public static List<ChatMessage> build(String systemPrompt, int systemTokens, List<StoredMessage> newestFirst,
                                          ChatMessage userMessage, int userTokens, int maxMessages, int maxTokens) {
        boolean hasSystem = !systemPrompt.isEmpty();
        int used = TokenCounter.REPLY_PRIMING + userTokens + TokenCounter.PER_MESSAGE
                + (hasSystem ? systemTokens + TokenCounter.PER_MESSAGE : 0);
        int taken = 0;
        while (taken < newestFirst.size()) {
            // An answer goes with the question before it; a user message on its own was observed.
            boolean answer = newestFirst.get(taken).role() == ChatMessage.Role.ASSISTANT;
            int size = answer ? 2 : 1;
            if (answer && (taken + 1 >= newestFirst.size() || newestFirst.get(taken + 1).role() != ChatMessage.Role.USER)) {
                break; // the question of this answer was not read: the window ends here
            }
            int cost = newestFirst.get(taken).tokens() + TokenCounter.PER_MESSAGE
                    + (answer ? newestFirst.get(taken + 1).tokens() + TokenCounter.PER_MESSAGE : 0);
            if (taken + size > maxMessages || used + cost > maxTokens) {
                break; // the newest units that fit, contiguous: never skip to an older, smaller one
            }
            used += cost;
            taken += size;
        }
        List<ChatMessage> messages = new ArrayList<>(taken + 2);
        if (hasSystem) {
            messages.add(ChatMessage.system(systemPrompt));
        }
        for (int i = taken - 1; i >= 0; i--) {
            // As the turn produced it: each adapter decides what of reasoning and tool calls its provider takes back.
            messages.add(newestFirst.get(i).attributed());
        }
        messages.add(userMessage);
        return messages;
    }
}
