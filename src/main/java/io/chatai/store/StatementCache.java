package io.chatai.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prepared statements of one physical SQLite connection, kept between units of work so that a
 * statement is compiled once per connection instead of once per use. Why: sqlite-jdbc keeps no cache, and
 * in the profile of a chat turn compiling SQL ({@code sqlite3_prepare}) cost more than running it (1,545
 * against 1,009 samples in the turn's lookups). Statements are prepared on the physical connection, so
 * the pool does not close them when the connection goes back to it; they end with the connection.
 *
 * <p>A statement is taken out while in use and given back after, so the same SQL used twice at once
 * (a query run while another's rows are read) simply prepares a second one. Only a statement that ran
 * cleanly comes back: after a failure sqlite-jdbc may have finalized it. At most {@value #MAX_STATEMENTS}
 * are kept, the least recently used closed first. Thread-safe, though a pooled connection is only ever
 * used by one thread at a time.
 */
final class StatementCache {
    /** Far above the few dozen statements a turn's path uses; bounds the native memory of a connection. */
    static final int MAX_STATEMENTS = 256;

    /** No caching: every statement is prepared on the connection as lent and closed after use (PostgreSQL, whose driver caches by itself). */
    static final StatementCache NONE = new StatementCache(null);

    private final Connection physical;
    private final Map<String, PreparedStatement> idle = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() > MAX_STATEMENTS) {
                closeQuietly(eldest.getValue());
                return true;
            }
            return false;
        }
    };

    private StatementCache(Connection physical) {
        this.physical = physical;
    }

    /** A cache for the given unpooled connection. */
    static StatementCache of(Connection physical) {
        return new StatementCache(physical);
    }

    /** A statement for {@code sql}, ready to bind: a kept one when there is one, else a new one. */
    PreparedStatement take(Connection lent, String sql) throws SQLException {
        if (physical == null) {
            return lent.prepareStatement(sql);
        }
        PreparedStatement kept;
        synchronized (this) {
            kept = idle.remove(sql);
        }
        return kept != null ? kept : physical.prepareStatement(sql);
    }

    /**
     * Ends a use of the statement: kept for the next use when it ran cleanly (its parameters and batch
     * cleared), else closed.
     */
    void giveBack(String sql, PreparedStatement statement, boolean ranCleanly) {
        if (physical == null || !ranCleanly) {
            closeQuietly(statement);
            return;
        }
        try {
            statement.clearParameters();
            statement.clearBatch();
        } catch (SQLException e) {
            closeQuietly(statement);
            return;
        }
        PreparedStatement displaced;
        synchronized (this) {
            displaced = idle.put(sql, statement);
        }
        if (displaced != null && displaced != statement) {
            closeQuietly(displaced); // the same SQL was in use twice at once: keep one
        }
    }

    /** How many statements wait for reuse. */
    synchronized int size() {
        return idle.size();
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException ignored) {
            // closing a broken statement: nothing more to free
        }
    }
}
