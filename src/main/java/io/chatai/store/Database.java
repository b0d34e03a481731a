package io.chatai.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.chatai.config.Config;
import io.chatai.core.Background;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.flywaydb.core.Flyway;

/**
 * The data source of one server: migrated on open, with reads and writes kept apart so that SQLite's
 * single writer is never fought over. Thread-safe.
 *
 * <p>On SQLite every write goes through one connection owned by the {@link SqliteWriter}, which commits
 * concurrent writes together (group commit): writers queue in the JVM instead of spinning on
 * {@code SQLITE_BUSY}, while readers use their own pool in WAL mode and are never blocked by the writer.
 * On PostgreSQL reads and writes share one pool.
 *
 * <p>Every repository speaks to it the same way: a callback gets a {@link Sql} and writes statements
 * with named parameters, run on plain JDBC (see docs/decisions.md for why not an ORM-like layer).
 */
public final class Database implements AutoCloseable {
    /** How often the log is copied into the database in the background. */
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(100);
    /** 16 MB of 4 KB pages: where the writer's thread finishes a checkpoint so the log can start over. */
    private static final int CHECKPOINT_FINISH_AT_PAGES = 4_000;

    private final Dialect dialect;
    /**
     * SQLite's prepared statements per physical connection (see {@link StatementCache}). The pools keep
     * their connections for good (no {@code maxLifetime}), so this holds one entry per connection; one
     * the pool closed after a failure is dropped when the next is added.
     */
    private final ConcurrentMap<Connection, StatementCache> statementCaches = new ConcurrentHashMap<>();
    private final HikariDataSource readPool;
    private final HikariDataSource writePool;
    private final HikariDataSource checkpointPool; // SQLite only: the WalCheckpointer's connection
    private SqliteWriter sqliteWriter; // SQLite only, set once migrations ran
    private Connection writeConnection;
    private WalCheckpointer checkpointer;
    private Connection checkpointConnection;

    private Database(Dialect dialect, HikariDataSource readPool, HikariDataSource writePool,
                     HikariDataSource checkpointPool) {
        this.dialect = dialect;
        this.readPool = readPool;
        this.writePool = writePool;
        this.checkpointPool = checkpointPool;
    }

    /** From now on every SQLite write goes through the group-committing writer, which keeps the one connection. */
    private void startSqliteWriter(Background background) throws SQLException {
        writeConnection = writePool.getConnection();
        sqliteWriter = new SqliteWriter(writeConnection);
        sqliteWriter.start(background);
        checkpointConnection = checkpointPool.getConnection();
        checkpointer = new WalCheckpointer(checkpointConnection, sqliteWriter, CHECKPOINT_INTERVAL, CHECKPOINT_FINISH_AT_PAGES);
        checkpointer.start(background);
    }

    /**
     * Opens the database named by the configuration and applies any pending migrations.
     *
     * @param metrics    where the connection pools report (HikariCP's own metrics), or null
     * @param background runs SQLite's writer and its checkpoints (unused on PostgreSQL)
     */
    public static Database open(Config config, Object metrics, Background background) {
        Database database = config.usesPostgres() ? openPostgres(config, metrics) : openSqlite(config, metrics);
        try {
            Flyway.configure()
                    .dataSource(database.writePool)
                    .locations(database.dialect.migrations())
                    // Features are built on branches that each reserve their migration numbers and merge in any
                    // order: a database already past a number (V13) must still get the lower one merged later (V12).
                    .outOfOrder(true)
                    .load()
                    .migrate();
            if (database.dialect == Dialect.SQLITE) {
                database.startSqliteWriter(background);
            }
        } catch (RuntimeException e) {
            database.close();
            throw e;
        } catch (SQLException e) {
            database.close();
            throw new StoreException(e);
        }
        return database;
    }

    private static Database openSqlite(Config config, Object metrics) {
        sqliteFile(config).ifPresent(Database::createParentDirectory);
        HikariDataSource readPool = new HikariDataSource(sqlite(config, "chatai-read", 8, metrics));
        HikariConfig write = sqlite(config, "chatai-write", 1, metrics);
        // The migrations take the write lock when their transaction begins, where a busy database makes them
        // wait (busy_timeout); a deferred transaction that read first would fail at once instead. (The
        // SqliteWriter begins its own transactions the same way, with its own BEGIN IMMEDIATE.)
        write.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        // Commits never checkpoint: the WalCheckpointer does, off the commit path.
        write.addDataSourceProperty("wal_autocheckpoint", "0");
        HikariDataSource writePool = new HikariDataSource(write);
        HikariDataSource checkpointPool = new HikariDataSource(sqlite(config, "chatai-checkpoint", 1, metrics));
        return new Database(Dialect.SQLITE, readPool, writePool, checkpointPool);
    }

    private static HikariConfig sqlite(Config config, String name, int size, Object metrics) {
        HikariConfig hikari = new HikariConfig();
        hikari.setMetricRegistry(metrics);
        hikari.setPoolName(name);
        hikari.setJdbcUrl(config.databaseUrl());
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(size);
        hikari.setConnectionTimeout(60_000);
        // A local file's connection never goes stale, and each keeps its prepared statements (StatementCache):
        // retiring connections every 30 minutes (the default) would only throw those away.
        hikari.setMaxLifetime(0);
        hikari.addDataSourceProperty("journal_mode", "WAL");
        hikari.addDataSourceProperty("foreign_keys", "true");
        // NORMAL in WAL mode survives a killed process (the WAL is in the OS page cache); only a power
        // loss can drop the newest commits. It keeps a commit to an append instead of an fsync.
        hikari.addDataSourceProperty("synchronous", "NORMAL");
        hikari.addDataSourceProperty("busy_timeout", "30000");
        // Deleted and overwritten content is zeroed, so a channel key sealed after the fact (or a deleted
        // conversation) leaves no readable copy in a free page.
        hikari.addDataSourceProperty("secure_delete", "true");
        return hikari;
    }

    private static Database openPostgres(Config config, Object metrics) {
        HikariConfig hikari = new HikariConfig();
        hikari.setMetricRegistry(metrics);
        hikari.setPoolName("chatai-pg");
        hikari.setJdbcUrl(config.databaseUrl());
        hikari.setUsername(config.databaseUser());
        hikari.setPassword(config.databasePassword());
        hikari.setMaximumPoolSize(16);
        hikari.setConnectionTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(hikari);
        return new Database(Dialect.POSTGRESQL, pool, pool, null);
    }

    /** The SQLite database file the configuration names; empty on PostgreSQL, in memory or for a {@code file:} URI. */
    public static Optional<Path> sqliteFile(Config config) {
        if (config.usesPostgres()) {
            return Optional.empty();
        }
        String file = config.databaseUrl().substring("jdbc:sqlite:".length());
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(file).toAbsolutePath());
    }

    private static void createParentDirectory(Path file) {
        Path parent = file.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the database directory " + parent, e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    /** PostgreSQL's pool, for libraries that need a DataSource (SQLite's writes all go through the writer). */
    public javax.sql.DataSource writeDataSource() {
        if (dialect != Dialect.POSTGRESQL) {
            throw new IllegalStateException("Only PostgreSQL offers its write pool; SQLite writes go through one writer");
        }
        return writePool;
    }

    /** Work on the statements of one unit of work (a read, or one transaction). */
    @FunctionalInterface
    public interface Work<R> {
        R run(Sql sql);
    }

    /** Like {@link Work}, without a result. */
    @FunctionalInterface
    public interface Action {
        void run(Sql sql);
    }

    /** Work on the JDBC connection itself: only the store's own plumbing (the writer, checkpoints). */
    @FunctionalInterface
    interface SqlWork<R> {
        R run(Connection connection) throws SQLException;
    }

    /** Runs a read; it may see any committed state, never a half-written transaction. */
    public <R> R read(Work<R> work) {
        try (Connection connection = readPool.getConnection()) {
            return work.run(sql(connection));
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** A unit of work's view of a lent connection: on SQLite with the statements kept for its physical connection. */
    private Sql sql(Connection lent) throws SQLException {
        if (dialect != Dialect.SQLITE) {
            return new Sql(lent); // PostgreSQL's driver keeps its own cache of prepared statements
        }
        Connection physical = lent.unwrap(org.sqlite.SQLiteConnection.class);
        StatementCache statements = statementCaches.get(physical);
        if (statements == null) {
            statementCaches.keySet().removeIf(Database::isClosed);
            statements = statementCaches.computeIfAbsent(physical, StatementCache::of);
        }
        return new Sql(lent, statements);
    }

    private static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Runs the work in one transaction on the write connection; it commits or leaves no trace. On SQLite
     * it may share its transaction with concurrent work (in its own savepoint): it returns once
     * committed either way.
     */
    public <R> R write(Work<R> work) {
        if (sqliteWriter != null) {
            return sqliteWriter.inTransaction(connection -> work.run(sql(connection)));
        }
        try (Connection connection = writePool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                R result = work.run(sql(connection));
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                // An Error too: the finally below would otherwise commit the half-done work.
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs a write that needs no result. */
    public void update(Action work) {
        write(sql -> {
            work.run(sql);
            return null;
        });
    }

    /**
     * Like {@link #write}, for changes to configuration (channels, presets, keys): the same transaction
     * bumps the {@link ConfigVersion}, so other instances notice the change.
     */
    public <R> R writeConfig(Work<R> work) {
        return write(sql -> {
            R result = work.run(sql);
            ConfigVersion.bump(sql);
            return result;
        });
    }

    /** Like {@link #update}, for changes to configuration; see {@link #writeConfig}. */
    public void updateConfig(Action work) {
        writeConfig(sql -> {
            work.run(sql);
            return null;
        });
    }

    /** A database failure; it reaches the client as 500 {@code INTERNAL_ERROR}, logged with its request id. */
    public static final class StoreException extends RuntimeException {
        public StoreException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** True when a trivial query answers: the readiness check. */
    public boolean isReachable() {
        try {
            return read(sql -> sql.query("SELECT 1").one(RowMapper.INT)) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (checkpointer != null) {
            checkpointer.close();
            closeQuietly(checkpointConnection);
        }
        if (sqliteWriter != null) {
            sqliteWriter.close(); // finishes queued writes first
            try {
                writeConnection.close();
            } catch (SQLException ignored) {
                // the pool closes it anyway
            }
        }
        readPool.close();
        if (writePool != readPool) {
            writePool.close();
        }
        if (checkpointPool != null) {
            checkpointPool.close();
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the pool closes it anyway
        }
    }
}
