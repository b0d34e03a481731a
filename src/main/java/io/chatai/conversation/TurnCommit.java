package io.chatai.conversation;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.TokenUsage;

/**
 * Everything one completed turn writes, in one transaction. Immutable.
 *
 * @param create    true when the conversation may be created by this commit (it was new or pending)
 * @param user      the user's message as sent upstream
 * @param reply     the assistant's message as the model produced it (reasoning and tool calls included)
 * @param requestId the client's idempotency key, or null
 */
public record TurnCommit(String conversationId, Scope scope, String presetId, boolean create,
                         ChatMessage.User user, int userTokens, long userAt,
                         ChatMessage.Assistant reply, int replyTokens, long replyAt,
                         String requestId, String model, TokenUsage usage) {
}
