package io.chatai.web;

import io.chatai.core.ApiException;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Server-Sent Events response, flushed event by event. The 200 and its headers are committed only
 * by the first event or keep-alive, so a failure before that can still be an ordinary HTTP error. A
 * {@code : keep-alive} comment goes out whenever the stream was silent for a while ({@link KeepAlives});
 * a failed write means the client left, which cancels the call feeding the stream. Thread-safe: the
 * request's thread and a keep-alive write hold one lock.
 */
public final class SseChannel implements KeepAlives.Watched, AutoCloseable {
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerRequest req;
    private final ServerResponse res;
    private final Cancellation cancellation;
    private final KeepAlives keepAlives;
    private final Runnable onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean keepAliveRunning = new AtomicBoolean();
    private OutputStream out; // guarded by lock; null until the headers are committed
    private boolean finished; // guarded by lock: an error response went out instead of a stream, or it closed
    private volatile long lastWriteNanos = System.nanoTime();

    /** @param onClose runs once when the stream ends (metrics of open streams) */
    public SseChannel(ServerRequest req, ServerResponse res, Cancellation cancellation, KeepAlives keepAlives,
                      Runnable onClose) {
        this.req = req;
        this.res = res;
        this.cancellation = cancellation;
        this.keepAlives = keepAlives;
        this.onClose = onClose;
        keepAlives.watch(this);
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

    /** Sends {@code event: <name>}, {@code data: <json>} and a blank line (the Responses API names each event). */
    public void send(String event, String json) {
        byte[] bytes = ("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
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

    @Override
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    @Override
    public boolean claimKeepAlive() {
        return keepAliveRunning.compareAndSet(false, true);
    }

    @Override
    public void releaseKeepAlive() {
        keepAliveRunning.set(false);
    }

    /** Writes the comment unless the request is writing right now, which counts as activity anyway. */
    @Override
    public void sendKeepAlive() {
        try {
            if (lock.tryLock()) {
                try {
                    if (!finished) {
                        write(KEEP_ALIVE);
                    }
                } catch (CallCancelledException gone) {
                    // write() already cancelled the call; the request's thread ends the stream
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            releaseKeepAlive();
        }
    }

    @Override
    public void close() {
        keepAlives.forget(this);
        lock.lock();
        try {
            finished = true;
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
