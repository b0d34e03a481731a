package io.chatai.chat;

import io.chatai.core.message.TokenUsage;

/**
 * Where a streamed turn goes, in order: {@link #start}, any number of {@link #content}, {@link #toolCall} and
 * {@link #toolResult}, then {@link #end} once the turn is committed. Implementations throw
 * {@link io.chatai.core.CallCancelledException} when their client has left. Used by one turn's thread (and its
 * keep-alive).
 */
public interface TurnStream {
    void start(String conversationId);

    void content(String text);

    /** Reasoning the model produced, for a client that asked for {@code reasoning} events. */
    default void reasoning(String text) {
    }

    /** The model asked for a tool; sent to clients that opted into tool events, dropped for the others. */
    void toolCall(ToolCallView call);

    /** A tool call finished; sent to clients that opted into tool events, dropped for the others. */
    void toolResult(ToolCallView call);

    void end(TokenUsage usage);

    /** The turn paused on the bot's own tools: the stream's last event, instead of {@link #end}. */
    void paused(String turnId, java.util.List<ToolCallView> pending, TokenUsage usage);
}
