package io.chatai.provider;

import java.time.Duration;
import java.util.Comparator;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires actions at deadlines on one platform thread, without waking it for every deadline set. Why: a
 * {@code ScheduledThreadPoolExecutor} wakes its thread whenever a new task becomes the head of its queue,
 * which at one request at a time is every call (the previous call's deadline was cancelled and removed):
 * the profile showed that wake-up, and the timer thread's own cycle, at ~5 % of a relayed request's CPU.
 * Here the thread sleeps until the earliest deadline it knew of when it went to sleep; a new deadline
 * wakes it only if it is earlier than that, and cancelled ones are simply removed (O(log n)), so with
 * calls of similar timeouts the thread wakes about once per timeout, not once per call. Thread-safe.
 */
final class DeadlineTimer implements AutoCloseable {
    /** One scheduled action; {@link #cancel} before it fires and it never does. */
    static final class Entry {
        private final long due;
        private final long seq;
        private final Runnable action;
        private final DeadlineTimer timer;

        private Entry(long due, long seq, Runnable action, DeadlineTimer timer) {
            this.due = due;
            this.seq = seq;
            this.action = action;
            this.timer = timer;
        }

        /** Takes the action out; it may already be running or done (the caller must tolerate that). */
        void cancel() {
            timer.pending.remove(this);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineTimer.class);
    private static final long IDLE = Long.MAX_VALUE;
    private static final long ORIGIN = System.nanoTime();

    // nanoTime values are compared by difference (they may wrap); seq breaks ties so entries are distinct.
    private final ConcurrentSkipListSet<Entry> pending = new ConcurrentSkipListSet<>(
            Comparator.<Entry>comparingLong(e -> e.due - ORIGIN).thenComparingLong(e -> e.seq));
    private final AtomicLong seqs = new AtomicLong();
    /** When the thread will wake on its own (relative to {@link #ORIGIN}); {@link #IDLE} when it waits for a signal. */
    private volatile long wakeAt = IDLE;
    private volatile boolean closed;
    private final Thread thread;

    DeadlineTimer(String name) {
        thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** Runs the action on the timer's thread once {@code delay} has passed, unless cancelled first. */
    Entry schedule(Duration delay, Runnable action) {
        long due = System.nanoTime() + Math.max(0, Math.min(delay.toNanos(), Long.MAX_VALUE / 4));
        Entry entry = new Entry(due, seqs.incrementAndGet(), action, this);
        pending.add(entry);
        // After the add, so either the thread's re-check after publishing wakeAt sees this entry, or we
        // see its wakeAt here (both are sequentially consistent accesses).
        if (due - ORIGIN < wakeAt) {
            LockSupport.unpark(thread);
        }
        return entry;
    }

    private void run() {
        while (!closed) {
            Entry first = pending.isEmpty() ? null : firstOrNull();
            long now = System.nanoTime();
            if (first != null && first.due - now <= 0) {
                if (pending.remove(first)) {
                    fire(first);
                }
                continue;
            }
            wakeAt = first == null ? IDLE : first.due - ORIGIN;
            Entry recheck = firstOrNull();
            if (recheck != first) {
                continue; // one was added (or removed) meanwhile: look again before sleeping
            }
            if (first == null) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, first.due - now);
            }
        }
    }

    private Entry firstOrNull() {
        try {
            return pending.first();
        } catch (NoSuchElementException e) { // emptied since isEmpty()
            return null;
        }
    }

    private static void fire(Entry entry) {
        try {
            entry.action.run();
        } catch (RuntimeException e) {
            LOG.error("A deadline's action failed; later deadlines still fire", e); // one failure must not stop the rest
        }
    }

    /** Stops the thread; deadlines not yet fired never fire. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
