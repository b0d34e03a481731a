package io.chatai.conversation;

import io.chatai.core.message.TokenUsage;

/** The stored result of a turn sent with a {@code requestId}, returned again to a retry. Immutable. */
public record StoredTurn(String conversationId, String response, String model, TokenUsage usage) {
}
