package io.chatai.usage;

/**
 * One upstream call, successful or not. Immutable.
 *
 * @param route          which API made the call: {@code chat}, {@code chat_stream} or {@code v1}
 * @param userId         the chat user (or the OpenAI {@code user} field), or null
 * @param groupId        null for a private chat or a {@code /v1} call
 * @param conversationId null for a {@code /v1} call
 * @param estimated      token counts were counted here, not reported by the upstream
 * @param ttftMs         time to the first streamed token, or null for non-streamed calls and failures
 * @param outcome        {@code ok}, {@code error} or {@code cancelled} (the client left)
 * @param error          the failure's description (never a key), or null
 * @param purpose        what the call produced: {@code chat} or {@code embedding}
 * @param costNanos      what the call cost at the prices of its time, in nano-units ({@link Cost}); null when
 *                       no price matched its model
 * @param turnId         the chat turn the call belonged to, or null outside a turn
 */
public record UsageRecord(long createdAt, String route, String keyId, String userId, String groupId,
                          String conversationId, String channelId, String channel, String model, int promptTokens,
                          int completionTokens, boolean estimated, long latencyMs, Long ttftMs, String outcome,
                          String error, String purpose, Long costNanos, String turnId) {

    /** A record outside a chat turn. */
    public UsageRecord(long createdAt, String route, String keyId, String userId, String groupId, String conversationId,
                       String channelId, String channel, String model, int promptTokens, int completionTokens,
                       boolean estimated, long latencyMs, Long ttftMs, String outcome, String error, String purpose,
                       Long costNanos) {
        this(createdAt, route, keyId, userId, groupId, conversationId, channelId, channel, model, promptTokens,
                completionTokens, estimated, latencyMs, ttftMs, outcome, error, purpose, costNanos, null);
    }

    /** A record without a price. */
    public UsageRecord(long createdAt, String route, String keyId, String userId, String groupId, String conversationId,
                       String channelId, String channel, String model, int promptTokens, int completionTokens,
                       boolean estimated, long latencyMs, Long ttftMs, String outcome, String error, String purpose) {
        this(createdAt, route, keyId, userId, groupId, conversationId, channelId, channel, model, promptTokens,
                completionTokens, estimated, latencyMs, ttftMs, outcome, error, purpose, null);
    }

    /** A chat call's record. */
    public UsageRecord(long createdAt, String route, String keyId, String userId, String groupId, String conversationId,
                       String channelId, String channel, String model, int promptTokens, int completionTokens,
                       boolean estimated, long latencyMs, Long ttftMs, String outcome, String error) {
        this(createdAt, route, keyId, userId, groupId, conversationId, channelId, channel, model, promptTokens,
                completionTokens, estimated, latencyMs, ttftMs, outcome, error, "chat");
    }
}
