package io.chatai.testing;

import io.chatai.config.ConfigLoader;
import io.chatai.core.Background;
import io.chatai.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * A migrated database of its own for repository tests, without a server: SQLite, or the embedded
 * PostgreSQL when {@code chatai.test.db=postgresql} (so every repository IT runs on both).
 */
public final class TestStore implements AutoCloseable {
    private final Path dataDir = TestServer.newDataDir();
    private final Background background = new Background();
    private final Map<String, String> env = new HashMap<>(TestDatabases.environmentFor(dataDir));
    private final Database database;

    public TestStore() {
        env.put("CHATAI_DATA_DIR", dataDir.toString());
        database = Database.open(ConfigLoader.load(env), null, background);
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
