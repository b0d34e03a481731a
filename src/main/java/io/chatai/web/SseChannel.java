package io.chatai.web;

import io.chatai.ApiException;
import io.chatai.provider.CallCancelledException;
import io.chatai.provider.Cancellation;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Server-Sent Events response, flushed event by event. The 200 and its headers are committed only
 * by the first event or keep-alive, so a failure before that can still be an ordinary HTTP error. A
 * {@code : keep-alive} comment goes out whenever the stream was silent for the interval; a failed write
 * means the client left, which cancels the call feeding the stream. Thread-safe: the request's thread
 * and the keep-alive thread write under one lock.
 */
public final class SseChannel implements AutoCloseable {
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerRequest req;
    private final ServerResponse res;
    private final Cancellation cancellation;
    private final Duration keepAliveInterval;
    private final Runnable onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread keepAlive;
    private OutputStream out; // guarded by lock; null until the headers are committed
    private boolean finished; // guarded by lock: an error response went out instead of a stream
    private volatile long lastWriteNanos = System.nanoTime();

    /** @param onClose runs once when the stream ends (metrics of open streams) */
    public SseChannel(ServerRequest req, ServerResponse res, Cancellation cancellation, Duration keepAliveInterval,
                      Runnable onClose) {
        this.req = req;
        this.res = res;
        this.cancellation = cancellation;
        this.keepAliveInterval = keepAliveInterval;
        this.onClose = onClose;
        this.keepAlive = Thread.ofVirtual().name("sse-keepalive").start(this::keepAliveLoop);
    }

    /** Sends {@code data: <json>} and a blank line. */
    public void send(String json) {
        byte[] bytes = ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            write(bytes);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the 200 went out (after which failures must be reported inside the stream). */
    public boolean committed() {
        lock.lock();
        try {
            return out != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reports a failure as an ordinary HTTP error while nothing was sent and returns true; returns
     * false when the stream is already committed, so the caller must report it as an event.
     */
    public boolean failBeforeCommit(ApiException error) {
        lock.lock();
        try {
            if (out != null) {
                return false;
            }
            finished = true;
            ErrorResponses.send(req, res, error);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Must hold the lock. */
    private void write(byte[] bytes) {
        try {
            if (out == null) {
                res.status(200);
                res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
                res.header(HeaderNames.create("X-Accel-Buffering"), "no");
                out = res.outputStream();
            }
            out.write(bytes);
            out.flush();
            lastWriteNanos = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            cancellation.cancel();
            throw new CallCancelledException("the client closed the stream");
        }
    }

    private void keepAliveLoop() {
        long interval = keepAliveInterval.toNanos();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long idle = System.nanoTime() - lastWriteNanos;
                if (idle < interval) {
                    Thread.sleep(Duration.ofNanos(interval - idle));
                    continue;
                }
                if (lock.tryLock()) {
                    try {
                        if (finished) {
                            return;
                        }
                        write(KEEP_ALIVE);
                    } catch (CallCancelledException gone) {
                        return;
                    } finally {
                        lock.unlock();
                    }
                } else {
                    Thread.sleep(Duration.ofMillis(50)); // the request is writing: that counts as activity
                }
            }
        } catch (InterruptedException stopped) {
            // the stream is over
        }
    }

    @Override
    public void close() {
        keepAlive.interrupt();
        try {
            keepAlive.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // the client already left
        } finally {
            lock.unlock();
            onClose.run();
        }
    }
}
