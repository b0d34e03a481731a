package io.chatai.conversation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the turns of this instance that wait for a conversation as soon as any instance releases it:
 * one dedicated connection (outside the pool) listens on {@code chatai_conversations}, and a release on
 * this instance wakes local waiters directly. Waiters also poll, so a lost notification only costs a
 * poll interval, never correctness. Thread-safe.
 */
final class Wakeups implements AutoCloseable {
    static final String CHANNEL = "chatai_conversations";
    private static final Logger LOG = LoggerFactory.getLogger(Wakeups.class);

    private final Map<String, Set<Semaphore>> waiting = new ConcurrentHashMap<>();
    private final String url;
    private final String user;
    private final String password;
    private final Thread listener;
    private volatile boolean running = true;

    Wakeups(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.listener = Thread.ofPlatform().daemon().name("conversation-wakeups").start(this::listen);
    }

    /** Registers a waiter for the conversation; release it with {@link #forget}. */
    Semaphore register(String conversationId) {
        Semaphore signal = new Semaphore(0);
        waiting.computeIfAbsent(conversationId, id -> ConcurrentHashMap.newKeySet()).add(signal);
        return signal;
    }

    void forget(String conversationId, Semaphore signal) {
        waiting.computeIfPresent(conversationId, (id, set) -> {
            set.remove(signal);
            return set.isEmpty() ? null : set;
        });
    }

    /** Waits for a wake-up or the poll interval, whichever comes first. */
    static void await(Semaphore signal, Duration atMost) {
        try {
            signal.tryAcquire(Math.max(1, atMost.toMillis()), TimeUnit.MILLISECONDS);
            signal.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void wake(String conversationId) {
        Set<Semaphore> signals = waiting.get(conversationId);
        if (signals != null) {
            signals.forEach(Semaphore::release);
        }
    }

    private void listen() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            wake(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warn("Listening for conversation releases failed ({}); waiters fall back to polling, retrying in 1 s",
                            e.getMessage());
                    sleep();
                }
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        listener.interrupt();
    }
}
