package io.chatai.channel;

/**
 * Who a model call is for, and what for, carried into every usage record of it. Immutable.
 *
 * @param route          {@code chat}, {@code chat_stream} or {@code v1}
 * @param userId         the chat user or the OpenAI {@code user} field, or null
 * @param groupId        null for private chats and {@code /v1}
 * @param conversationId null for {@code /v1}
 * @param purpose        what the call produces (a chat answer, embeddings)
 * @param turnId         the chat turn the call belongs to (a tool turn makes several), or null outside a turn
 */
public record CallContext(String route, String keyId, String userId, String groupId, String conversationId,
                          CallPurpose purpose, String turnId) {

    /** A call outside a chat turn. */
    public CallContext(String route, String keyId, String userId, String groupId, String conversationId,
                       CallPurpose purpose) {
        this(route, keyId, userId, groupId, conversationId, purpose, null);
    }

    /** A chat call. */
    public CallContext(String route, String keyId, String userId, String groupId, String conversationId) {
        this(route, keyId, userId, groupId, conversationId, CallPurpose.CHAT);
    }
}
