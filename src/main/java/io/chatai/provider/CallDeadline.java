package io.chatai.provider;

import java.time.Duration;

/**
 * The two time bounds of one upstream call, kept by one {@link DeadlineTimer} entry: the channel's
 * {@code totalTimeoutMs} over the whole call, and (on a virtual thread) its {@code timeoutMs} over each
 * wait for the upstream — sending the request and waiting for the first byte, then each wait for more of
 * the body. When one runs out the call's thread is interrupted, which on a virtual thread aborts a blocked
 * connect, handshake, write or read at once and closes the connection, in whatever phase the call is.
 * Closing it before then disarms it and clears an interrupt it caused, so nothing leaks into the thread's
 * later work. Thread-safe: the timer thread checks and fires it, the call's thread marks its waits and closes it.
 *
 * <p>Why more than the socket's read timeout (which the call keeps): it never bounds a write, so an upstream
 * that stopped reading the request held the call past every timeout. Marking a wait costs two volatile
 * writes; the timer wakes once per {@code timeoutMs} of a call's life at most. An interrupt cannot abort a
 * platform thread's socket I/O, so on a platform thread only the socket's read timeout bounds the waits.
 */
final class CallDeadline implements AutoCloseable {
    private static final long NOT_WAITING = Long.MIN_VALUE;

    private final Thread thread;
    private final DeadlineTimer timers;
    private final Duration total;
    private final long totalDue;
    private final long gapNanos; // 0: waits are bounded by the socket instead
    private volatile long waitingSince = NOT_WAITING;
    private volatile boolean responseStarted;
    private volatile UpstreamError reason; // set once when it fires
    private DeadlineTimer.Entry timer; // guarded by this
    private boolean armed = true; // guarded by this

    private CallDeadline(DeadlineTimer timers, Duration gap, Duration total) {
        this.thread = Thread.currentThread();
        this.timers = timers;
        this.total = total;
        long now = System.nanoTime();
        this.totalDue = now + Math.min(total.toNanos(), Long.MAX_VALUE / 4);
        this.gapNanos = thread.isVirtual() ? Math.max(1, Math.min(gap.toNanos(), Long.MAX_VALUE / 4)) : 0;
        synchronized (this) {
            timer = timers.schedule(Duration.ofNanos(nextCheck(now, now) - now), this::check);
        }
    }

    /**
     * Starts the clock for a call on the current thread: {@code gap} bounds each wait for the upstream
     * (on a virtual thread), {@code total} the whole call.
     */
    static CallDeadline start(DeadlineTimer timers, Duration gap, Duration total) {
        return new CallDeadline(timers, gap, total);
    }

    /** The call's thread is about to block on the upstream (send, or wait for bytes). */
    void waiting() {
        waitingSince = System.nanoTime();
    }

    /** The wait ended (bytes came, or the call moved on). */
    void progressed() {
        waitingSince = NOT_WAITING;
    }

    /** The response's headers came: a later wait is for "the next chunk". */
    void responseStarted() {
        responseStarted = true;
    }

    private long nextCheck(long now, long since) {
        if (gapNanos == 0) {
            return totalDue;
        }
        long gapDue = (since == NOT_WAITING ? now : since) + gapNanos;
        return gapDue - totalDue < 0 ? gapDue : totalDue;
    }

    /** On the timer's thread: fire if a bound ran out, else look again when the next one could. */
    private void check() {
        synchronized (this) {
            if (!armed) {
                return;
            }
            long now = System.nanoTime();
            long since = waitingSince;
            if (now - totalDue >= 0) {
                fire(new UpstreamError.LimitExceeded("the call took longer than totalTimeoutMs (" + total.toMillis() + " ms)"));
            } else if (gapNanos > 0 && since != NOT_WAITING && now - since >= gapNanos) {
                fire(new UpstreamError.Timeout(responseStarted ? "waiting for the next chunk" : "waiting for the first byte", 0));
            } else {
                timer = timers.schedule(Duration.ofNanos(Math.max(0, nextCheck(now, since) - now)), this::check);
            }
        }
    }

    private void fire(UpstreamError why) { // holds the lock
        reason = why;
        thread.interrupt();
    }

    boolean expired() {
        return reason != null;
    }

    /** What ends the call once a bound ran out. */
    UpstreamException exceeded() {
        return new UpstreamException(reason);
    }

    @Override
    public void close() {
        DeadlineTimer.Entry last;
        synchronized (this) {
            armed = false;
            last = timer;
        }
        last.cancel();
        if (reason != null) {
            Thread.interrupted(); // the interrupt was ours: the thread goes on with the failure, not with it
        }
    }
}
