package io.chatai.conversation;

import io.chatai.core.message.ChatMessage;

/**
 * One stored message. Immutable.
 *
 * @param seq    its position in the conversation; the only order that counts
 * @param tokens its cost in a prompt, counted once when it was committed
 */
public record StoredMessage(long seq, ChatMessage.Role role, String content, int tokens, long createdAt) {
}
