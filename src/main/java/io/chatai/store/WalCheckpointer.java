package io.chatai.store;

import io.chatai.core.Background;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Keeps SQLite's write-ahead log short without making commits wait for it. Thread-safe.
 *
 * <p>Why not SQLite's automatic checkpoint: it runs inside the commit that crosses 1,000 log pages, and
 * copying those pages into the database (with two fsyncs) took ~4 ms, during which that turn and every
 * turn queued behind it waited; at one client that was the whole p99 of {@code /api/chat}. Here a
 * background connection copies the log into the database every {@code interval} (PASSIVE: it never
 * waits for, nor blocks, readers or the writer). Such a pass cannot finish the log while the writer keeps
 * appending to it, and the log only starts over once a checkpoint finished and no reader still reads an
 * older snapshot from it, which busy readers never allow on their own. So once the log holds
 * {@code finishAtPages} pages, one RESTART pass runs on the writer's thread between two group commits:
 * it copies only the pages written since the background pass, waits for the readers of older snapshots
 * for at most 20 ms (new readers are not blocked), and lets the next commit start the log from its
 * beginning. SQLite's own checkpoint never waits for readers, so under reads that never pause its log
 * grows without end (20 MB for 8 MB written, measured under back-to-back reads). RESTART needs the readers
 * of older snapshots to finish within its 20 ms, so reads of several milliseconds each, back to back, can
 * delay it (WalCheckpointerTest says how far). The passes are a periodic task
 * of the server's {@link Background}: a pass that fails is logged and the next one runs; commits go on
 * without it, and the log only grows until a pass succeeds again.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final int RESTART_WAIT_MILLIS = 20;

    /** What {@code PRAGMA wal_checkpoint} reports: pages in the log, and how many of them are in the database. */
    record Progress(boolean busy, int logPages, int checkpointedPages) {
        boolean finished() {
            return !busy && checkpointedPages == logPages;
        }
    }

    private final Connection connection;
    private final SqliteWriter writer;
    private final Duration interval;
    private final int finishAtPages;
    private volatile int finishedByWriter;
    private Background.Periodic passes;

    WalCheckpointer(Connection connection, SqliteWriter writer, Duration interval, int finishAtPages) {
        this.connection = connection;
        this.writer = writer;
        this.interval = interval;
        this.finishAtPages = finishAtPages;
    }

    /** Starts the passes, one every interval. */
    void start(Background background) {
        passes = background.every("sqlite-checkpoint", interval, this::pass);
    }

    /** One checkpoint on the given connection, in SQLite's mode {@code PASSIVE} or {@code RESTART}. */
    static Progress checkpoint(Connection connection, String mode) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            row.next();
            return new Progress(row.getInt(1) != 0, row.getInt(2), row.getInt(3));
        }
    }

    /**
     * A RESTART checkpoint on the writer's connection, waiting at most {@link #RESTART_WAIT_MILLIS} for
     * readers of older snapshots: every commit waits meanwhile, so a long report must not hold them up.
     * Busy readers only mean the log starts over at a later pass.
     */
    private static Progress restart(Connection writeConnection) throws SQLException {
        try (Statement statement = writeConnection.createStatement()) {
            int busyTimeout;
            try (ResultSet row = statement.executeQuery("PRAGMA busy_timeout")) {
                row.next();
                busyTimeout = row.getInt(1);
            }
            statement.execute("PRAGMA busy_timeout=" + RESTART_WAIT_MILLIS);
            try {
                return checkpoint(writeConnection, "RESTART");
            } finally {
                statement.execute("PRAGMA busy_timeout=" + busyTimeout);
            }
        }
    }

    /** How many RESTART passes the writer's thread ran (for tests and diagnosis). */
    int finishedByWriter() {
        return finishedByWriter;
    }

    /** One background pass, and the writer's RESTART pass when the log has grown long. */
    private void pass() throws SQLException {
        Progress progress = checkpoint(connection, "PASSIVE");
        if (progress.logPages() >= finishAtPages) {
            writer.alone(WalCheckpointer::restart);
            finishedByWriter++; // only one pass runs at a time
        }
    }

    /** Stops the passes (waiting for one in progress); the connection is the caller's to close. */
    @Override
    public void close() {
        if (passes != null) {
            passes.cancel();
        }
    }
}
