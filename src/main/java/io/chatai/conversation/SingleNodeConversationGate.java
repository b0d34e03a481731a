package io.chatai.conversation;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Serializes one instance's work per conversation with a fair semaphore per busy conversation, so waiters are let in strictly
 * in arrival order. It cannot deadlock: a turn only ever holds one conversation, and the lease is closed
 * in {@code finally}. Entries exist only while someone holds or waits, so memory stays bounded by the
 * number of busy conversations. Thread-safe.
 */
final class SingleNodeConversationGate {
    private final int maxWaiters;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** @param maxWaiters how many turns may queue behind a busy conversation before new ones get 409 at once */
    SingleNodeConversationGate(int maxWaiters) {
        this.maxWaiters = maxWaiters;
    }

    private static final class Entry {
        final Semaphore semaphore = new Semaphore(1, true);
        int users; // holders + waiters, guarded by the map's compute
    }

    /** Waits (fairly, up to {@code maxWait}) until the caller owns the conversation. */
    ConversationLocks.Lease acquire(String conversationId, Duration maxWait) {
        Entry entry = entries.compute(conversationId, (id, existing) -> {
            Entry e = existing == null ? new Entry() : existing;
            e.users++;
            return e;
        });
        boolean acquired = false;
        try {
            if (entry.users > maxWaiters + 1) {
                throw busy(conversationId, maxWait, entry.users - 1);
            }
            acquired = entry.semaphore.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
            if (!acquired) {
                throw busy(conversationId, maxWait, entry.users - 1);
            }
            java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
            return () -> {
                if (open.compareAndSet(true, false)) {
                    release(conversationId, entry, true);
                }
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.CONVERSATION_BUSY, "Interrupted while waiting for the conversation", null, 1);
        } finally {
            if (!acquired) {
                release(conversationId, entry, false);
            }
        }
    }

    private void release(String conversationId, Entry entry, boolean held) {
        if (held) {
            entry.semaphore.release();
        }
        entries.compute(conversationId, (id, e) -> --entry.users == 0 ? null : entry);
    }

    private static ApiException busy(String conversationId, Duration maxWait, int ahead) {
        return new ApiException(ErrorCode.CONVERSATION_BUSY, "Conversation " + conversationId + " is busy with "
                + ahead + " earlier request(s); waited up to " + maxWait.toSeconds() + " s", null,
                (int) Math.max(1, Math.min(maxWait.toSeconds(), 30)));
    }
}
