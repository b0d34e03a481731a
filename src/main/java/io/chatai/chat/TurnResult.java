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
 * @param turnId    the turn's id when it paused on the bot's own tools, else null
 * @param pending   the bot's tool calls it waits for (empty for a completed turn)
 */
public record TurnResult(String conversationId, String response, String model, TokenUsage usage, String channel,
                         String reasoning, List<ToolCallView> toolCalls, String turnId, List<ToolCallView> pending) {
    public TurnResult {
        toolCalls = List.copyOf(toolCalls);
        pending = List.copyOf(pending);
    }

    /** A completed turn. */
    public TurnResult(String conversationId, String response, String model, TokenUsage usage, String channel,
                      String reasoning, List<ToolCallView> toolCalls) {
        this(conversationId, response, model, usage, channel, reasoning, toolCalls, null, List.of());
    }

    /** A turn paused on the bot's own tools. */
    static TurnResult paused(String conversationId, String response, String model, TokenUsage usage, String turnId,
                             List<ToolCallView> toolCalls, List<ToolCallView> pending) {
        return new TurnResult(conversationId, response, model, usage, null, null, toolCalls, turnId, pending);
    }

    public boolean isPaused() {
        return turnId != null;
    }
}
