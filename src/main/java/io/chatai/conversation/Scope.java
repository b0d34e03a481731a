package io.chatai.conversation;

/**
 * Whose conversation: one user, in one group or in private; or, for a preset with group context, the whole
 * group ({@link #group}), whose user is {@code ""} as stored. Different users of one group never share a
 * per-user scope. Immutable.
 *
 * @param userId  the user, or {@code ""} for a group's shared conversation
 * @param groupId null for a private chat
 */
public record Scope(String userId, String groupId) {

    /** The one conversation scope all members of a group share (a preset with {@code context: "group"}). */
    public static Scope group(String groupId) {
        return new Scope("", groupId);
    }

    /** True for a group's shared scope, which belongs to no user. */
    public boolean isGroup() {
        return userId.isEmpty();
    }

    /** The user as the API shows it: null for a group's shared conversation. */
    public String visibleUserId() {
        return isGroup() ? null : userId;
    }

    /** The stored form of the group: '' for a private chat, so equality works in an index. */
    public String groupKey() {
        return groupId == null ? "" : groupId;
    }

    public static Scope fromStored(String userId, String groupKey) {
        return new Scope(userId, groupKey.isEmpty() ? null : groupKey);
    }
}
