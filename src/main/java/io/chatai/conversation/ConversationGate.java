package io.chatai.conversation;

import java.time.Duration;
import org.jdbi.v3.core.Handle;

/**
 * Serializes work on one conversation: one owner at a time, the others waiting in arrival order for a
 * bounded time. Turns, clears and deletes all pass through it, so they never interleave.
 * Implementations are thread-safe.
 */
public interface ConversationGate {

    /**
     * Waits until the caller owns the conversation.
     *
     * @throws io.chatai.ApiException {@code CONVERSATION_BUSY} (with {@code Retry-After}) when the wait
     *                                bound passes or too many are already waiting
     */
    Lease acquire(String conversationId, Duration maxWait);

    /** Ownership of one conversation; closing it lets the next waiter in. */
    interface Lease extends AutoCloseable {

        /**
         * Runs inside the commit's transaction and throws if ownership was lost meanwhile (a lease that
         * expired across instances); a no-op where ownership cannot be lost.
         */
        default void verify(Handle handle) {
        }

        @Override
        void close();
    }
}
