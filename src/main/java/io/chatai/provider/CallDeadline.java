package io.chatai.provider;

import java.time.Duration;

/**
 * The channel's {@code totalTimeoutMs} for one call: when it runs out the call's thread is interrupted,
 * which aborts a blocked connect, handshake or socket read at once and closes the connection, in
 * whatever phase the call is. Closing it before then disarms it and clears an interrupt it caused, so
 * nothing leaks into the thread's later work. Thread-safe: the timer thread fires it, the call's thread
 * asks and closes.
 */
final class CallDeadline implements AutoCloseable {
    private final Thread thread;
    private final Duration total;
    private final DeadlineTimer.Entry timer;
    private boolean armed = true; // guarded by this
    private volatile boolean expired;

    private CallDeadline(DeadlineTimer timers, Duration total) {
        this.thread = Thread.currentThread();
        this.total = total;
        this.timer = timers.schedule(total, this::expire);
    }

    /** Starts the clock for a call on the current thread. */
    static CallDeadline start(DeadlineTimer timers, Duration total) {
        return new CallDeadline(timers, total);
    }

    private void expire() {
        synchronized (this) {
            if (!armed) {
                return;
            }
            expired = true;
            thread.interrupt();
        }
    }

    boolean expired() {
        return expired;
    }

    /** What ends the call once the deadline has passed. */
    UpstreamException exceeded() {
        return new UpstreamException(new UpstreamError.LimitExceeded(
                "the call took longer than totalTimeoutMs (" + total.toMillis() + " ms)"));
    }

    @Override
    public void close() {
        synchronized (this) {
            armed = false;
        }
        timer.cancel();
        if (expired) {
            Thread.interrupted(); // the interrupt was ours: the thread goes on with the failure, not with it
        }
    }
}
