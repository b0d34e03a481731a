package io.chatai.web;

import io.chatai.core.Background;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A read timeout for requests: from the request line on, a client has {@code timeout} to deliver the
 * headers and the body; a connection still sending after that is closed. Half-sent or trickled requests
 * (slowloris) therefore cannot hold connections for long. They never delay other callers meanwhile:
 * each connection has its own virtual thread. The clock stops when the headers announce no body, when
 * a handler has read the body ({@link #bodyRead}), or when the response starts. Overdue connections
 * are found by a periodic task of the server's {@link Background}. Thread-safe.
 */
public final class SlowRequestGuard {
    private final long timeoutNanos;
    private final Map<String, Reading> reading = new ConcurrentHashMap<>();

    private record Reading(ConnectionContext ctx, long deadlineNanos) { }

    public SlowRequestGuard(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Starts the sweeps: every quarter of the timeout, between 50 ms and 1 s apart. */
    public void start(Background background) {
        background.every("slow-request-guard", Duration.ofMillis(Math.max(50, Math.min(1000, timeoutNanos / 4_000_000))), this::sweep);
    }

    /** Listens to what the server receives: a request line starts the clock, headers without a body stop it. */
    public Http1ConnectionListener receiveListener() {
        return new Http1ConnectionListener() {
            @Override
            public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
                reading.put(ctx.childSocketId(), new Reading(ctx, System.nanoTime() + timeoutNanos));
            }

            @Override
            public void headers(ConnectionContext ctx, Headers headers) {
                if (!hasBody(headers)) {
                    reading.remove(ctx.childSocketId());
                }
            }
        };
    }

    private static boolean hasBody(Headers headers) {
        try {
            return headers.contains(HeaderNames.TRANSFER_ENCODING) || headers.contentLength().orElse(0L) > 0;
        } catch (IllegalArgumentException malformed) {
            // Two or a negative Content-Length: Helidon refuses the request right after this listener
            // (400), and the refusal's status stops the clock. Throwing here would make it a 500.
            return true;
        }
    }

    /** Listens to what the server sends: once a response starts, the request has been read. */
    public Http1ConnectionListener sendListener() {
        return new Http1ConnectionListener() {
            @Override
            public void status(ConnectionContext ctx, Status status) {
                reading.remove(ctx.childSocketId());
            }
        };
    }

    /** A handler finished reading the request body. */
    public void bodyRead(ServerRequest req) {
        reading.remove(req.socketId());
    }

    private void sweep() {
        long now = System.nanoTime();
        reading.forEach((id, entry) -> {
            if (now - entry.deadlineNanos() > 0 && reading.remove(id, entry)) {
                // Closing the socket wakes the connection's thread from its blocked read.
                entry.ctx().serverSocket().close();
            }
        });
    }
}
