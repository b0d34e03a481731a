package io.chatai.web;

import io.chatai.core.Background;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Sends a {@code : keep-alive} comment on every open SSE stream that was silent for the interval, so
 * proxies and clients with idle timeouts keep the connection. One periodic task of the server's
 * {@link Background} watches all streams; a write runs on a short-lived virtual thread, because a client
 * that stopped reading can block it. A stream gets its comment between one and 1.25 intervals of
 * silence. A tick that fails (even with an {@link Error}) is logged and the next one runs, so departed
 * clients keep being noticed. Thread-safe.
 */
public final class KeepAlives {
    private final long intervalNanos;
    private final Executor writes;
    private final Set<Watched> open = ConcurrentHashMap.newKeySet();

    /** What a watched stream offers; {@link SseChannel} is the one in production. */
    interface Watched {
        long lastWriteNanos();

        /** True for the one caller that may now run {@link #sendKeepAlive}; false while one still runs. */
        boolean claimKeepAlive();

        /** Gives a claim back without writing (the write could not be started). */
        void releaseKeepAlive();

        /** Writes the comment, then releases the claim. */
        void sendKeepAlive();
    }

    public KeepAlives(Duration interval) {
        this(interval, write -> Thread.ofVirtual().name("sse-keepalive-write").start(write));
    }

    /** @param writes starts each keep-alive write (a new virtual thread in production) */
    KeepAlives(Duration interval, Executor writes) {
        this.intervalNanos = interval.toNanos();
        this.writes = writes;
    }

    /** Starts watching: a look at every stream each quarter interval (at least every 10 ms). */
    public void start(Background background) {
        // Watching from one task costs nothing per stream; a sleeping thread per stream cost ~10 KB each.
        background.every("sse-keepalive", Duration.ofMillis(Math.max(intervalNanos / 4_000_000, 10)), this::tick);
    }

    void watch(Watched channel) {
        open.add(channel);
    }

    void forget(Watched channel) {
        open.remove(channel);
    }

    void tick() {
        long now = System.nanoTime();
        for (Watched channel : open) {
            if (now - channel.lastWriteNanos() >= intervalNanos && channel.claimKeepAlive()) {
                try {
                    writes.execute(channel::sendKeepAlive);
                } catch (RuntimeException | Error e) {
                    channel.releaseKeepAlive(); // or this stream would never get another one
                    throw e;
                }
            }
        }
    }
}
