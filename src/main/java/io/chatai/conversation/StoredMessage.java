package io.chatai.conversation;

import io.chatai.core.message.ChatMessage;

/**
 * One stored message. Immutable.
 *
 * @param seq     its position in the conversation; the only order that counts
 * @param message the message as the turn produced it (reasoning, tool calls and images included), which
 *                goes upstream again as history
 * @param content its text, as listings show it
 * @param tokens  its cost in a prompt, counted once when it was committed
 * @param speaker who said it, for a user message of a group's shared conversation; null otherwise
 */
public record StoredMessage(long seq, ChatMessage message, String content, int tokens, long createdAt, Speaker speaker) {

    public StoredMessage(long seq, ChatMessage message, String content, int tokens, long createdAt) {
        this(seq, message, content, tokens, createdAt, null);
    }

    /** A message that is exactly its text (every row written before parts were stored). */
    public StoredMessage(long seq, ChatMessage.Role role, String content, int tokens, long createdAt) {
        this(seq, ChatMessage.ofText(role, content), content, tokens, createdAt, null);
    }

    public ChatMessage.Role role() {
        return message.role();
    }

    StoredMessage withSpeaker(Speaker speaker) {
        return speaker == null ? this : new StoredMessage(seq, message, content, tokens, createdAt, speaker);
    }

    /** The message as the model gets it: a group member's with its speaker's label, any other as stored. */
    public ChatMessage attributed() {
        return speaker != null && message instanceof ChatMessage.User user ? speaker.attribute(user) : message;
    }
}
