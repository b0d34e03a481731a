package io.chatai.conversation;

/**
 * A stored conversation's row. Immutable.
 *
 * @param lastMessage the newest message of either role, cut to 200 characters; null when empty
 * @param nextSeq     the sequence number the next message gets; never reset, not even by a clear
 */
public record Conversation(String id, Scope scope, String presetId, long createdAt, long updatedAt,
                           int messageCount, String lastMessage, long nextSeq) {
}
