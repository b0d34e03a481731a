package io.chatai.web;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends a {@code : keep-alive} comment on every open SSE stream that was silent for the interval, so
 * proxies and clients with idle timeouts keep the connection. One timer thread watches all streams; a
 * write runs on a short-lived virtual thread, because a client that stopped reading can block it.
 * A stream gets its comment between one and 1.25 intervals of silence. Thread-safe.
 */
public final class KeepAlives implements AutoCloseable {
    private final long intervalNanos;
    private final Set<SseChannel> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    public KeepAlives(Duration interval) {
        this.intervalNanos = interval.toNanos();
        // Watching from one thread costs nothing per stream; a sleeping thread per stream cost ~10 KB each.
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("sse-keepalive").factory());
        long tickMillis = Math.max(interval.toMillis() / 4, 10);
        timer.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    void watch(SseChannel channel) {
        open.add(channel);
    }

    void forget(SseChannel channel) {
        open.remove(channel);
    }

    private void tick() {
        long now = System.nanoTime();
        for (SseChannel channel : open) {
            if (now - channel.lastWriteNanos() >= intervalNanos && channel.claimKeepAlive()) {
                Thread.ofVirtual().name("sse-keepalive-write").start(channel::sendKeepAlive);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
