package io.chatai.tool;

/**
 * One tool call a turn ran (or refused: an unknown tool, bad arguments, a round over its cap), as recorded. Immutable.
 *
 * @param groupId     null for a private chat
 * @param tool        {@code <server>.<tool>} for an offered tool, else the name the model wrote (cut to 64)
 * @param success     false when the model saw an error result
 * @param resultBytes the UTF-8 size of the result text the model saw
 */
public record ToolExecution(long createdAt, String turnId, String keyId, String userId, String groupId,
                            String conversationId, String tool, long durationMs, boolean success, long resultBytes) {
}
