package io.chatai.conversation;

/**
 * Decides which conversation a turn belongs to: the one named by {@code conversationId} (which must be
 * in the caller's scope), a new one ({@code newConversation}), or the scope's most recent one, created
 * when there is none. A new conversation only reaches the database with its first committed turn, so it
 * is "pending" until then; turns arriving meanwhile join it instead of creating a second one.
 * Implementations are thread-safe.
 */
public interface ConversationResolver {

    /** @throws io.chatai.ApiException {@code CONVERSATION_NOT_FOUND} for an id outside the scope */
    Target resolve(Scope scope, String conversationId, boolean newConversation);

    /** A turn's claim on its conversation; close it when the turn ends, committed or not. */
    interface Target extends AutoCloseable {
        String id();

        /** True when the conversation may not exist yet, so the commit may create it. */
        boolean mayCreate();

        @Override
        void close();
    }
}
