package io.chatai.testing;

import io.chatai.config.ConfigLoader;
import io.chatai.core.Background;
import io.chatai.store.Database;
import io.chatai.store.Dialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * A migrated database of its own for repository tests, without a server: SQLite, or the embedded
 * PostgreSQL when {@code chatai.test.db=postgresql} (so every repository IT runs on both).
 */
public final class TestStore implements AutoCloseable {
    private final Path dataDir;
    private final Background background = new Background();
    private final Map<String, String> env;
    private final Database database;

    public TestStore() {
        this(TestServer.newDataDir());
    }

    /** The database of this data directory, migrated to the newest version (see {@link #migrateBefore} for older ones). */
    public TestStore(Path dataDir) {
        this.dataDir = dataDir;
        env = new HashMap<>(TestDatabases.environmentFor(dataDir));
        env.put("CHATAI_DATA_DIR", dataDir.toString());
        database = Database.open(ConfigLoader.load(env), null, background);
    }

    /**
     * Leaves the database of a new data directory as an older server did: migrated by every migration
     * before {@code version} (the dialects number theirs with gaps), then these statements run (rows
     * written before that migration existed).
     */
    public static void migrateBefore(Path dataDir, String version, String... statements) {
        Map<String, String> env = TestDatabases.environmentFor(dataDir);
        String url = env.getOrDefault("CHATAI_DATABASE_URL", "jdbc:sqlite:" + dataDir.resolve("chatai.db"));
        var configuration = Flyway.configure()
                .dataSource(url, env.get("CHATAI_DATABASE_USER"), env.get("CHATAI_DATABASE_PASSWORD"))
                .locations((TestDatabases.postgresql() ? Dialect.POSTGRESQL : Dialect.SQLITE).migrations());
        MigrationVersion first = MigrationVersion.fromVersion(version);
        MigrationVersion previous = Arrays.stream(configuration.load().info().all()).map(MigrationInfo::getVersion)
                .filter(v -> v.compareTo(first) < 0).max(Comparator.naturalOrder())
                .orElseThrow(() -> new IllegalArgumentException("No migration before " + version));
        configuration.target(previous).load().migrate();
        try (Connection connection = DriverManager.getConnection(url, env.get("CHATAI_DATABASE_USER"), env.get("CHATAI_DATABASE_PASSWORD"));
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot fill the database as it was before version " + version, e);
        }
    }

    public Database database() {
        return database;
    }

    /** Runs a statement on a connection of its own, behind the repositories' back (another instance, say). */
    public void execute(String sql) {
        String url = env.getOrDefault("CHATAI_DATABASE_URL", "jdbc:sqlite:" + dataDir.resolve("chatai.db"));
        try (Connection connection = DriverManager.getConnection(url, env.get("CHATAI_DATABASE_USER"), env.get("CHATAI_DATABASE_PASSWORD"));
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run " + sql, e);
        }
    }

    /** Every text value of a table, as stored. */
    public String dump(String table) {
        return TestDatabases.dumpTable(dataDir, table);
    }

    @Override
    public void close() {
        database.close();
        background.close();
    }
}
