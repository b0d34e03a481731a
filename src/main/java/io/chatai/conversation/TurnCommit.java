package io.chatai.conversation;

import io.chatai.core.message.TokenUsage;

/**
 * Everything one completed turn writes, in one transaction. Immutable.
 *
 * @param create    true when the conversation may be created by this commit (it was new or pending)
 * @param requestId the client's idempotency key, or null
 */
public record TurnCommit(String conversationId, Scope scope, String presetId, boolean create,
                         String userMessage, int userTokens, long userAt,
                         String reply, int replyTokens, long replyAt,
                         String requestId, String model, TokenUsage usage) {
}
