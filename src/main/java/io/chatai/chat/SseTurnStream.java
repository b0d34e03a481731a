package io.chatai.chat;

import io.chatai.ApiException;
import io.chatai.provider.CallCancelledException;
import io.chatai.provider.Cancellation;
import io.chatai.provider.TokenUsage;
import io.chatai.web.ErrorResponses;
import io.chatai.web.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes a turn as Server-Sent Events, flushing each event at once. The 200 and its headers are only
 * committed by the first event or keep-alive, so an error before that is still an ordinary HTTP error.
 * A keep-alive comment goes out whenever the stream was silent for the interval; a failed write means
 * the client left, which cancels the upstream call. Thread-safe: the turn's thread and the keep-alive
 * thread write under one lock.
 */
final class SseTurnStream implements TurnStream, AutoCloseable {
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerRequest req;
    private final ServerResponse res;
    private final Cancellation cancellation;
    private final Duration keepAliveInterval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread keepAlive;
    private OutputStream out; // null until the headers are committed
    private boolean startSent;
    private boolean finished; // guarded by lock: an error response was sent, keep-alives must stop
    private volatile long lastWriteNanos = System.nanoTime();

    SseTurnStream(ServerRequest req, ServerResponse res, Cancellation cancellation, Duration keepAliveInterval) {
        this.req = req;
        this.res = res;
        this.cancellation = cancellation;
        this.keepAliveInterval = keepAliveInterval;
        this.keepAlive = Thread.ofVirtual().name("sse-keepalive").start(this::keepAliveLoop);
    }

    @Override
    public void start(String conversationId) {
        startSent = true;
        Map<String, Object> start = new LinkedHashMap<>(); // "type" first; Map.of's order changes from run to run
        start.put("type", "start");
        start.put("conversationId", conversationId);
        event(start);
    }

    @Override
    public void content(String text) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("type", "content");
        content.put("text", text);
        event(content);
    }

    @Override
    public void end(TokenUsage usage) {
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("type", "end");
        end.put("usage", UsageView.of(usage));
        event(end);
    }

    /** Reports a failure: as an HTTP error while nothing was sent, else as a final {@code error} event. */
    void fail(ApiException error) {
        lock.lock();
        try {
            if (out == null) {
                finished = true;
                ErrorResponses.send(req, res, error);
                return;
            }
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", "error");
            event.put("code", error.code().name());
            event.put("error", error.getMessage());
            if (error.details() != null) {
                event.put("details", error.details());
            }
            write(("data: " + Json.writeString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        } catch (CallCancelledException gone) {
            // nobody is listening for the error any more
        } finally {
            lock.unlock();
        }
    }

    boolean startSent() {
        return startSent;
    }

    private void event(Map<String, ?> event) {
        byte[] bytes = ("data: " + Json.writeString(event) + "\n\n").getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            write(bytes);
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
                    Thread.sleep(Duration.ofMillis(50)); // the turn is writing: that counts as activity
                }
            }
        } catch (InterruptedException stopped) {
            // the turn is over
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
        }
    }
}
