package io.chatai.conversation;

import io.chatai.store.Sql;
import java.time.Duration;

/**
 * Serializes work on one conversation: one owner at a time, the others waiting in arrival order for a
 * bounded time. Turns, clears and deletes all pass through it, so they never interleave. A turn first
 * resolves its conversation (the named one, a new one, or its scope's latest, created when there is
 * none); a new conversation is "pending" until its first commit, and turns arriving meanwhile join it
 * rather than create a second one. Implementations are thread-safe; see {@link SingleNodeConversationLocks}
 * (one instance) and {@link ClusterConversationLocks} (instances sharing PostgreSQL).
 */
public interface ConversationLocks {

    /**
     * Resolves the turn's conversation and waits until the turn owns it.
     *
     * @throws io.chatai.core.ApiException {@code CONVERSATION_NOT_FOUND} for an id outside the scope;
     *                                {@code CONVERSATION_BUSY} when the wait bound passes
     */
    TurnLease beginTurn(Scope scope, String conversationId, boolean newConversation, Duration maxWait);

    /** Waits until the caller owns an existing conversation (to clear or delete it). */
    Lease own(String conversationId, Duration maxWait);

    /** Ownership of one conversation; closing it lets the next waiter in. */
    interface Lease extends AutoCloseable {

        /**
         * Runs first inside the commit's transaction (its statements join it) and throws if ownership
         * was lost meanwhile (a lease that expired across instances), so a stale owner can never commit;
         * a no-op where ownership cannot be lost. It is the commit's
         * {@link ConversationRepository.Fence}.
         */
        default void verify(Sql transaction) {
        }

        @Override
        void close();
    }

    /** A turn's ownership of its conversation. */
    interface TurnLease extends Lease {
        String conversationId();

        /** True when the conversation may not exist yet, so the commit may create it. */
        boolean mayCreate();
    }
}
