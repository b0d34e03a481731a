package io.chatai.store;

import io.chatai.core.Background;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Random;

/**
 * Micro benchmark (not a test) of what {@link SqliteWriter} pays around the work of a transaction, on a
 * file in WAL mode shaped like the turn's tables (messages, conversations and their indexes, usage rows),
 * alternating in one JVM: one turn per transaction begun and ended through the driver's calls (as the
 * writer did) against {@link SqliteWriter} itself (its own prepared {@code BEGIN IMMEDIATE} / {@code COMMIT}),
 * and a group of 16 turns with a savepoint per turn (as the writer did) against none. Run with
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.chatai.store.GroupCommitBench};
 * see bench/README.md.
 */
public final class GroupCommitBench {
    private static final int CONVERSATIONS = 20_000;
    private static final int GROUP = 16;

    private GroupCommitBench() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Files.createTempFile("group-commit-bench", ".db");
        try (Connection driven = DriverManager.getConnection("jdbc:sqlite:" + file);
             Connection written = DriverManager.getConnection("jdbc:sqlite:" + file);
             Background background = new Background()) {
            schema(driven);
            for (Connection connection : new Connection[] {driven, written}) {
                try (Statement pragma = connection.createStatement()) {
                    pragma.execute("PRAGMA synchronous=NORMAL"); // as Database configures every connection
                    pragma.execute("PRAGMA wal_autocheckpoint=0"); // checkpoints between rounds instead
                }
            }
            Turns byDriver = new Turns(driven);
            Turns byWriter = new Turns(written);
            SqliteWriter writer = new SqliteWriter(written);
            writer.start(background);
            System.out.printf("| round | driver's calls µs/tx | SqliteWriter µs/tx | group of %d, savepoints µs/turn | no savepoints µs/turn |%n"
                    + "|---:|---:|---:|---:|---:|%n", GROUP);
            for (int round = 0; round < 8; round++) {
                double driver = time(2_000, () -> driverTransaction(driven, byDriver));
                double own = time(2_000, () -> writer.inTransaction(c -> byWriter.turn()));
                double savepoints = time(200, () -> group(driven, byDriver, true)) / GROUP;
                double plain = time(200, () -> group(driven, byDriver, false)) / GROUP;
                if (round >= 2) {
                    System.out.printf("| %d | %.1f | %.1f | %.1f | %.1f |%n", round - 1, driver, own, savepoints, plain);
                }
                try (Statement checkpoint = driven.createStatement()) {
                    checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
            }
            writer.close();
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        }
    }

    private static void schema(Connection connection) throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("PRAGMA journal_mode=WAL");
            ddl.execute("CREATE TABLE conversations (id TEXT PRIMARY KEY, user_id TEXT, updated_at INTEGER, next_seq INTEGER)");
            ddl.execute("CREATE INDEX conversations_by_user ON conversations (user_id, updated_at DESC, id DESC)");
            ddl.execute("CREATE INDEX conversations_by_recency ON conversations (updated_at)");
            ddl.execute("CREATE TABLE messages (conversation_id TEXT, seq INTEGER, role TEXT, content TEXT, "
                    + "PRIMARY KEY (conversation_id, seq))");
            ddl.execute("CREATE TABLE usage_records (id INTEGER PRIMARY KEY, created_at INTEGER, user_id TEXT, model TEXT, tokens INTEGER)");
            ddl.execute("CREATE INDEX usage_by_time ON usage_records (created_at)");
            ddl.execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " + (CONVERSATIONS - 1) + ") "
                    + "INSERT INTO conversations SELECT 'c' || i, 'u' || i, i, 0 FROM n");
        }
    }

    /** As the writer did before: the driver's auto-commit switch and commit around the work. */
    private static void driverTransaction(Connection connection, Turns turns) throws SQLException {
        connection.setAutoCommit(false);
        turns.turn();
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static void group(Connection connection, Turns turns, boolean savepoints) throws SQLException {
        connection.setAutoCommit(false);
        for (int i = 0; i < GROUP; i++) {
            Savepoint savepoint = savepoints ? connection.setSavepoint() : null;
            turns.turn();
            if (savepoint != null) {
                connection.releaseSavepoint(savepoint);
            }
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    /** A turn's writes to a random conversation: two messages, the conversation row, a usage row. */
    private static final class Turns {
        private static long clock = 1_000;
        private final PreparedStatement insertMessages;
        private final PreparedStatement updateConversation;
        private final PreparedStatement insertUsage;
        private final Random random = new Random(7);

        Turns(Connection connection) throws SQLException {
            insertMessages = connection.prepareStatement("INSERT INTO messages (conversation_id, seq, role, content) "
                    + "VALUES (?, ?, 'user', 'a question of some length'), (?, ?, 'assistant', 'an answer of some more length')");
            updateConversation = connection.prepareStatement("UPDATE conversations SET updated_at = ?, next_seq = ? WHERE id = ?");
            insertUsage = connection.prepareStatement("INSERT INTO usage_records (created_at, user_id, model, tokens) VALUES (?, ?, 'fake', 42)");
        }

        Object turn() throws SQLException {
            String id = "c" + random.nextInt(CONVERSATIONS);
            long now = ++clock;
            insertMessages.setString(1, id);
            insertMessages.setLong(2, now * 2);
            insertMessages.setString(3, id);
            insertMessages.setLong(4, now * 2 + 1);
            insertMessages.executeUpdate();
            updateConversation.setLong(1, now);
            updateConversation.setLong(2, now * 2 + 2);
            updateConversation.setString(3, id);
            updateConversation.executeUpdate();
            insertUsage.setLong(1, now);
            insertUsage.setString(2, id);
            return insertUsage.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    /** Mean µs per run. */
    private static double time(int runs, Work work) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            work.run();
        }
        return (System.nanoTime() - start) / 1_000.0 / runs;
    }
}
