package io.chatai.chat;

import io.chatai.core.message.TokenUsage;

/**
 * The outcome of a committed (or replayed) turn. Immutable.
 *
 * @param model   the model name as requested (before any channel mapping)
 * @param channel   the name of the channel that answered, or null for a replayed turn
 * @param reasoning the answer's readable reasoning (empty when it had none), or null for a replayed turn
 */
public record TurnResult(String conversationId, String response, String model, TokenUsage usage, String channel,
                         String reasoning) {
}
