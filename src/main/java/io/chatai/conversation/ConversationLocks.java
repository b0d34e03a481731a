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

    /**
     * Takes over a turn's hold kept by {@link TurnLease#hold} (the continuation of a paused turn, on any instance).
     *
     * @throws io.chatai.core.ApiException {@code CONVERSATION_BUSY} when the hold expired meanwhile
     */
    TurnLease resume(String token, String conversationId, boolean mayCreate);

    /** Lets go of a hold kept by {@link TurnLease#hold} (a paused turn abandoned); no-op when already gone. */
    void abandon(String token, String conversationId);

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

        /**
         * Keeps this ownership after the request ends, for at most {@code ttl} (a turn paused on the bot's own
         * tools still owns its conversation): {@link #close} no longer lets go; {@link ConversationLocks#resume}
         * takes it over, {@link ConversationLocks#abandon} or the expiry ends it.
         *
         * @return the token that names the hold
         */
        String hold(Duration ttl);
    }
}
