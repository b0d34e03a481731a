package io.chatai.provider;

import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ClientUri;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The keep-alive connections of one upstream client, per host, kept without Helidon's idle monitor. Why our
 * own: Helidon's pool starts a virtual thread for every connection it takes back, which reads the idle
 * socket in 101 ms steps until the next request, and the request then waits for that thread to hand over
 * the response's first byte (helidon-io/helidon#11799). In a profile of {@code /api/chat} that was 13 % of
 * the server's CPU, with the timer wake-ups of its timed reads 9 % more. Here an idle connection is just
 * kept: the most recently used is taken first (so a surplus after a burst ages out), one idle longer than
 * {@link #PROBE_AFTER} is first checked with a read of {@link #PROBE_WAIT} (the peer may have closed it:
 * servers close keep-alive connections idle for 5 s and more), and one idle longer than {@link #MAX_IDLE} is
 * closed. Thread-safe.
 */
final class UpstreamConnections implements AutoCloseable {
    static final Duration PROBE_AFTER = Duration.ofSeconds(2);
    static final Duration PROBE_WAIT = Duration.ofMillis(1);
    static final Duration MAX_IDLE = Duration.ofSeconds(60);
    private static final Tls NO_TLS = Tls.builder().enabled(false).build();
    private static final List<String> HTTP1 = List.of(Http1Client.PROTOCOL_ID);

    /** Where a connection goes: the pool's key. */
    private record Target(String scheme, String host, int port, Proxy proxy) {
    }

    private record Idle(TcpClientConnection connection, long since) {
    }

    /** A connection for one call, and whether it served an earlier one (the upstream may have closed it since). */
    record Lease(TcpClientConnection connection, boolean reused) {
    }

    private final WebClient client;
    private final int maxIdlePerHost;
    private final long probeAfterNanos;
    private final long maxIdleNanos;
    private final ConcurrentMap<Target, ArrayDeque<Idle>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param client makes the connections: its socket options, TLS and DNS settings apply */
    UpstreamConnections(WebClient client, int maxIdlePerHost) {
        this(client, maxIdlePerHost, PROBE_AFTER, MAX_IDLE);
    }

    /** With other idle limits (tests). */
    UpstreamConnections(WebClient client, int maxIdlePerHost, Duration probeAfter, Duration maxIdle) {
        this.client = client;
        this.maxIdlePerHost = maxIdlePerHost;
        this.probeAfterNanos = probeAfter.toNanos();
        this.maxIdleNanos = maxIdle.toNanos();
    }

    /** A connection to the URI's host (through the proxy): a pooled one still open, or a new one. */
    Lease take(ClientUri uri, Proxy proxy) {
        Target target = new Target(uri.scheme(), uri.host(), uri.port(), proxy);
        ArrayDeque<Idle> queue = queue(target);
        while (true) {
            Idle next;
            synchronized (queue) {
                next = queue.pollFirst();
            }
            if (next == null) {
                return new Lease(connect(target, queue), false);
            }
            long idleNanos = System.nanoTime() - next.since();
            if (next.connection().isConnected() && idleNanos < maxIdleNanos
                    && (idleNanos < probeAfterNanos || stillOpen(next.connection()))) {
                return new Lease(next.connection(), true);
            }
            next.connection().closeResource();
        }
    }

    /** A new connection to the URI's host (through the proxy), never a pooled one. */
    TcpClientConnection connect(ClientUri uri, Proxy proxy) {
        Target target = new Target(uri.scheme(), uri.host(), uri.port(), proxy);
        return connect(target, queue(target));
    }

    private ArrayDeque<Idle> queue(Target target) {
        return idle.computeIfAbsent(target, t -> new ArrayDeque<>());
    }

    private TcpClientConnection connect(Target target, ArrayDeque<Idle> queue) {
        ConnectionKey key = ConnectionKey.create(target.scheme(), target.host(), target.port(),
                "https".equals(target.scheme()) ? client.prototype().tls() : NO_TLS,
                client.prototype().dnsResolver(), client.prototype().dnsAddressLookup(), target.proxy());
        return TcpClientConnection.create(client, key, HTTP1, connection -> release(queue, connection), connection -> {
        }).connect();
    }

    /**
     * Called by Helidon when a response was read to its end and the connection may serve another; false
     * makes Helidon close it.
     */
    private boolean release(ArrayDeque<Idle> queue, TcpClientConnection connection) {
        if (closed || !connection.isConnected()) {
            return false;
        }
        long now = System.nanoTime();
        Idle expired;
        synchronized (queue) {
            if (queue.size() >= maxIdlePerHost) {
                return false;
            }
            queue.addFirst(new Idle(connection, now));
            // The oldest is at the tail: one past the idle limit is closed while we are here (one per release
            // is enough to keep up, since each release adds one).
            expired = now - queue.peekLast().since() >= maxIdleNanos ? queue.pollLast() : null;
        }
        if (expired != null) {
            expired.connection().closeResource();
        }
        return true;
    }

    /**
     * Whether an idle connection is still open: a read that times out says so; the end of the stream (the
     * peer closed it) or bytes nobody asked for (an error the peer sent before closing) say it is done.
     */
    private static boolean stillOpen(TcpClientConnection connection) {
        try {
            connection.readTimeout(PROBE_WAIT);
            connection.helidonSocket().get();
            return false;
        } catch (UncheckedIOException e) {
            return e.getCause() instanceof SocketTimeoutException;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** How many idle connections are kept now (for tests). */
    int idleCount() {
        int count = 0;
        for (ArrayDeque<Idle> queue : idle.values()) {
            synchronized (queue) {
                count += queue.size();
            }
        }
        return count;
    }

    /** Closes every idle connection; connections in use are closed, not kept, when their call ends. */
    @Override
    public void close() {
        closed = true;
        for (ArrayDeque<Idle> queue : idle.values()) {
            List<Idle> all;
            synchronized (queue) {
                all = new ArrayList<>(queue);
                queue.clear();
            }
            all.forEach(each -> each.connection().closeResource());
        }
    }
}
