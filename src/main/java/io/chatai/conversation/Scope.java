package io.chatai.conversation;

/**
 * Whose conversation: one user, in one group or in private. Different users of one group never share a
 * scope. Immutable.
 *
 * @param groupId null for a private chat
 */
public record Scope(String userId, String groupId) {

    /** The stored form of the group: '' for a private chat, so equality works in an index. */
    public String groupKey() {
        return groupId == null ? "" : groupId;
    }

    public static Scope fromStored(String userId, String groupKey) {
        return new Scope(userId, groupKey.isEmpty() ? null : groupKey);
    }
}
