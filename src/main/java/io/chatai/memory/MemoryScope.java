package io.chatai.memory;

import io.chatai.preset.MemorySettings;

/**
 * Whose memories one turn reads and writes: a user's own ({@code groupId} null), a user's in one group, or
 * a group's shared ones ({@code userId} null). Immutable.
 */
public record MemoryScope(String userId, String groupId) {

    /**
     * The scope a preset's setting gives a turn of {@code userId} in {@code groupId} (null in a private
     * chat). A private chat has no group: {@code userInGroup} and {@code group} then keep the user's own.
     */
    public static MemoryScope of(String scope, String userId, String groupId) {
        if (groupId == null) {
            return new MemoryScope(userId, null);
        }
        return switch (scope) {
            case MemorySettings.USER_IN_GROUP -> new MemoryScope(userId, groupId);
            case MemorySettings.GROUP -> new MemoryScope(null, groupId);
            default -> new MemoryScope(userId, null);
        };
    }

    String userKey() {
        return userId == null ? "" : userId;
    }

    String groupKey() {
        return groupId == null ? "" : groupId;
    }
}
