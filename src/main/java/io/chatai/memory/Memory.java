package io.chatai.memory;

/**
 * One remembered fact as the memories API shows it. Immutable.
 *
 * @param userId         null for a group's shared memory
 * @param groupId        null for a user's memory outside any group
 * @param source         {@code extracted} (from a turn) or {@code manual} (added through the API)
 * @param conversationId the conversation an extracted fact came from, else null
 */
public record Memory(String id, String userId, String groupId, String text, long createdAt, long updatedAt,
                     String source, String conversationId) {
    public static final String EXTRACTED = "extracted";
    public static final String MANUAL = "manual";
}
