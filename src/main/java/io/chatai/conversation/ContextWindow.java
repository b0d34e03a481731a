package io.chatai.conversation;

import io.chatai.core.message.ChatMessage;
import io.chatai.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds what a turn sends upstream: the system prompt (never dropped), then the newest whole turns of
 * history that fit both the message and the token budget, then the new user message. Old turns go
 * first and whole, so the model never sees a question without its answer. Stateless.
 */
public final class ContextWindow {
    private ContextWindow() {
    }

    /** The history rows worth reading for a message budget (tool steps count as messages). */
    public static int historyRowsFor(int maxContextMessages) {
        return maxContextMessages;
    }

    /**
     * @param systemTokens tokens of the system prompt's text (0 when it is empty)
     * @param newestFirst  committed history, newest message first; a turn is a user message and everything after
     *                     it (tool steps, the answer); a turn cut off at the oldest end is left out
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
        int turnRows = 0;
        int turnCost = 0;
        for (StoredMessage message : newestFirst) {
            turnRows++;
            turnCost += message.tokens() + TokenCounter.PER_MESSAGE;
            if (message.role() != ChatMessage.Role.USER) {
                continue; // the turn goes on, back to its user message
            }
            if (taken + turnRows > maxMessages || used + turnCost > maxTokens) {
                break; // the newest turns that fit, contiguous: never skip to an older, smaller one
            }
            used += turnCost;
            taken += turnRows;
            turnRows = 0;
            turnCost = 0;
        }
        List<ChatMessage> messages = new ArrayList<>(taken + 2);
        if (hasSystem) {
            messages.add(ChatMessage.system(systemPrompt));
        }
        for (int i = taken - 1; i >= 0; i--) {
            // As the turn produced it: each adapter decides what of reasoning and tool calls its provider takes back.
            messages.add(newestFirst.get(i).message());
        }
        messages.add(userMessage);
        return messages;
    }
}
