package io.chatai.tool;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured tool server on this instance: its configuration, its session (if connected), its status and when
 * to try again. Connecting, re-listing and dropping a session are serialized by one lock, so a background retry
 * and an admin's refresh never leave two sessions open; a tool call only reads the current session. A server that
 * failed is retried after 1, 2, 4 … up to 60 s; a connected one is pinged every {@link #PING_EVERY}. Thread-safe.
 */
final class LiveServer {
    private static final Logger LOG = LoggerFactory.getLogger(LiveServer.class);
    static final Duration PING_EVERY = Duration.ofSeconds(30);
    static final long MAX_BACKOFF_MS = 60_000;
    /** Calls to one server at once; more wait for a slot within their timeout. */
    static final int MAX_CONCURRENT_CALLS = 32;
    /** Calls abandoned on one session before it is replaced: the SDK keeps a waiting slot for each until the server answers. */
    static final int MAX_ABANDONED_CALLS = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final LongSupplier now;
    private final Runnable changed;
    private final Consumer<LiveServer> toolsChanged;
    final Semaphore calls = new Semaphore(MAX_CONCURRENT_CALLS, true);
    /** A background retry or ping is running; at most one at a time. */
    final AtomicBoolean busy = new AtomicBoolean();
    /** The server said its tools changed, and they were not listed again since. */
    final AtomicBoolean relistWanted = new AtomicBoolean();
    /** A re-listing is running; at most one at a time. */
    final AtomicBoolean relisting = new AtomicBoolean();
    private volatile ToolServer config;
    private volatile McpConnection session;
    private volatile ServerStatus status = ServerStatus.connecting();
    private volatile long nextAttemptAt;
    private volatile long nextPingAt;
    private int failures; // guarded by lock
    private int abandoned; // guarded by lock

    /**
     * @param now          milliseconds, for retries and pings
     * @param changed      called after the status or configuration changed, to rebuild what is offered
     * @param toolsChanged called (on the transport's thread) when the server says its tools changed
     */
    LiveServer(ToolServer config, LongSupplier now, Runnable changed, Consumer<LiveServer> toolsChanged) {
        this.config = config;
        this.now = now;
        this.changed = changed;
        this.toolsChanged = toolsChanged;
    }

    ToolServer config() {
        return config;
    }

    ServerStatus status() {
        return status;
    }

    McpConnection session() {
        return session;
    }

    /** Takes a new configuration without reconnecting (a name-only or tool switch change, or before {@link #connect}). */
    void configure(ToolServer server) {
        config = server;
        changed.run();
    }

    /**
     * Drops any session and, when the server is enabled and {@code allowed}, opens a new one and lists its tools.
     * Blocks for up to the setup bound; the status says how it went.
     */
    void connect(boolean allowed, String refusal) {
        lock.lock();
        try {
            drop();
            ToolServer server = config;
            if (!server.enabled()) {
                status = ServerStatus.disabled();
            } else if (!allowed) {
                status = status.failed(refusal);
                nextAttemptAt = Long.MAX_VALUE; // nothing changes until the configuration does
            } else {
                open(server);
            }
        } finally {
            lock.unlock();
        }
        changed.run();
    }

    private void open(ToolServer server) {
        McpConnection opened = null;
        try {
            opened = McpConnection.open(server, () -> toolsChanged.accept(this));
            ToolListing.Discovery discovery = opened.listTools(server.name());
            session = opened;
            status = ServerStatus.connected(discovery, opened.via());
            failures = 0;
            abandoned = 0;
            nextPingAt = now.getAsLong() + PING_EVERY.toMillis();
            McpConnection watched = opened;
            opened.ended().whenCompleteAsync((ignored, failure) -> lost(watched, "the program ended"),
                    task -> Thread.ofVirtual().name("mcp-stdio-ended").start(task));
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            String message = e instanceof ToolServerException ? e.getMessage()
                    : ToolFailures.describe(e, McpConnection.secrets(server.endpoint()));
            failures++;
            status = status.failed(message);
            nextAttemptAt = now.getAsLong() + backoff(failures);
            LOG.warn("Tool server {} is not available: {}", server.name(), message);
        }
    }

    /** 1 s, 2 s, 4 s … after each failure in a row, at most {@link #MAX_BACKOFF_MS}. */
    static long backoff(int failures) {
        return Math.min(MAX_BACKOFF_MS, 1000L << Math.min(Math.max(failures - 1, 0), 16));
    }

    /** Ends the session and forgets the tools; the server stays configured (the admin disabled it, or it is going). */
    void close() {
        lock.lock();
        try {
            drop();
            status = ServerStatus.disabled();
        } finally {
            lock.unlock();
        }
    }

    private void drop() {
        McpConnection current = session;
        session = null;
        if (current != null) {
            current.close();
        }
    }

    /** Lists the tools again on the current session; a failure drops the session (retried at once). */
    void relist() {
        McpConnection current = session;
        if (current == null) {
            return;
        }
        try {
            ToolListing.Discovery discovery = current.listTools(config.name());
            lock.lock();
            try {
                if (session == current) {
                    status = ServerStatus.connected(discovery, current.via());
                }
            } finally {
                lock.unlock();
            }
            changed.run();
        } catch (RuntimeException e) {
            broken(current, ToolFailures.describe(e, McpConnection.secrets(config.endpoint())));
        }
    }

    /** Pings the current session; a failure drops it. */
    void ping() {
        McpConnection current = session;
        if (current == null) {
            return;
        }
        nextPingAt = now.getAsLong() + PING_EVERY.toMillis();
        try {
            current.ping(Duration.ofMillis(Math.min(config.timeoutMs(), McpConnection.MAX_SETUP.toMillis())));
        } catch (RuntimeException e) {
            broken(current, ToolFailures.describe(e, McpConnection.secrets(config.endpoint())));
        }
    }

    /**
     * The session failed under a call or a ping: drop it if it is still the current one, and retry at once. Never
     * waits for a connection being made (which replaces the session anyway).
     */
    void broken(McpConnection failed, String message) {
        if (session != failed || !lock.tryLock()) {
            return;
        }
        try {
            if (session != failed) {
                return;
            }
            drop();
            status = status.failed(message);
            nextAttemptAt = now.getAsLong();
            LOG.warn("Tool server {} failed: {}", config.name(), message);
        } finally {
            lock.unlock();
        }
        changed.run();
    }

    /** A local program ended: drop its session once any connection being made is done, and retry. */
    private void lost(McpConnection ended, String message) {
        lock.lock();
        try {
            if (session != ended) {
                return; // replaced or closed on purpose
            }
            drop();
            status = status.failed(message);
            nextAttemptAt = now.getAsLong() + backoff(++failures);
            LOG.warn("Tool server {} failed: {}", config.name(), message);
        } finally {
            lock.unlock();
        }
        changed.run();
    }

    /** A call on {@code on} was abandoned; past {@link #MAX_ABANDONED_CALLS} the session is replaced. */
    void abandoned(McpConnection on) {
        boolean replace;
        if (!lock.tryLock()) {
            return; // a connection is being made, which starts a fresh session
        }
        try {
            replace = session == on && ++abandoned >= MAX_ABANDONED_CALLS;
        } finally {
            lock.unlock();
        }
        if (replace) {
            broken(on, "replaced the session after " + MAX_ABANDONED_CALLS + " calls that did not finish");
        }
    }

    boolean retryDue(long at) {
        return status.state() == ServerStatus.State.ERROR && config.enabled() && at >= nextAttemptAt;
    }

    boolean pingDue(long at) {
        return session != null && at >= nextPingAt;
    }
}
