package io.chatai.conversation;

import io.chatai.core.Background;
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

/**
 * Wakes the turns of this instance that wait for a conversation as soon as any instance releases it:
 * one dedicated connection (outside the pool) listens on {@code chatai_conversations}, and a release on
 * this instance wakes local waiters directly. Waiters also poll, so a lost notification only costs a
 * poll interval, never correctness. The listening thread is a dedicated loop of the server's
 * {@link Background}: a lost connection is logged and opened again a second later. Thread-safe.
 */
final class Wakeups implements AutoCloseable {
    static final String CHANNEL = "chatai_conversations";

    private final Map<String, Set<Semaphore>> waiting = new ConcurrentHashMap<>();
    private final String url;
    private final String user;
    private final String password;
    private Connection connection; // only the listening thread touches it
    private Background.Loop listener;

    Wakeups(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void start(Background background) {
        listener = background.loop("conversation-wakeups", Duration.ofSeconds(1), this::listenOnce);
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

    /** Waits up to half a second for releases and wakes their waiters; connects first when needed. */
    private void listenOnce() throws SQLException {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(url, user, password);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
            }
            PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(500);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    wake(notification.getParameter());
                }
            }
        } catch (SQLException | RuntimeException e) {
            // Waiters fall back to polling until the loop, a second later, connects again.
            closeConnection();
            throw e;
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is being replaced anyway
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.stop();
        }
        closeConnection(); // the listening thread has ended
    }
}
