package io.chatai.chat;

import io.chatai.core.message.TokenUsage;
import java.util.List;

/**
 * The outcome of a committed (or replayed) turn. Immutable.
 *
 * @param model     the model name as requested (before any channel mapping)
 * @param channel   the name of the channel that answered, or null for a replayed turn
 * @param reasoning the answer's readable reasoning (empty when it had none), or null for a replayed turn
 * @param toolCalls the tool calls the turn ran, in order (empty for a turn without tools and for a replay)
 */
public record TurnResult(String conversationId, String response, String model, TokenUsage usage, String channel,
                         String reasoning, List<ToolCallView> toolCalls) {
    public TurnResult {
        toolCalls = List.copyOf(toolCalls);
    }
}
