package io.chatai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chatai.core.Background;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's single writer: work runs inline when it is idle, is group-committed when it is busy, and every commit stands. */
class SqliteWriterTest {
    @TempDir
    Path dir;

    @Test
    void should_run_work_on_the_callers_thread_when_the_writer_is_idle() throws Exception {
        try (Background background = new Background(); Connection connection = open()) {
            SqliteWriter writer = new SqliteWriter(connection);
            writer.start(background);

            String ranOn = writer.inTransaction(c -> Thread.currentThread().getName());

            assertThat(ranOn).isEqualTo(Thread.currentThread().getName());
            writer.close();
        }
    }

    @Test
    void should_roll_back_all_of_a_failing_write_that_ran_alone_and_keep_writing_after_it() throws Exception {
        try (Background background = new Background(); Connection connection = open()) {
            SqliteWriter writer = new SqliteWriter(connection);
            writer.start(background);

            assertThatThrownBy(() -> writer.inTransaction(c -> {
                insert(c, 1);
                insert(c, 2);
                return insert(c, 1); // the primary key again: the whole piece fails
            })).hasMessageContaining("UNIQUE");
            writer.inTransaction(c -> insert(c, 3));
            writer.close();

            assertThat(ids(connection)).isEqualTo("3");
        }
    }

    @Test
    void should_commit_every_piece_of_work_from_many_concurrent_writers_and_roll_back_only_the_failing_ones() throws Exception {
        try (Background background = new Background(); Connection connection = open()) {
            SqliteWriter writer = new SqliteWriter(connection);
            writer.start(background);
            Set<String> threads = ConcurrentHashMap.newKeySet();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int id = t;
                writers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 50; i++) {
                        int row = id * 1000 + i;
                        if (i == 7) {
                            assertThatThrownBy(() -> writer.inTransaction(c -> {
                                insert(c, row);
                                throw new SQLException("refused");
                            })).hasMessageContaining("refused");
                            continue;
                        }
                        writer.inTransaction(c -> {
                            threads.add(Thread.currentThread().getName());
                            return insert(c, row);
                        });
                    }
                }));
            }
            for (Thread thread : writers) {
                thread.join();
            }
            writer.close();

            try (Statement statement = connection.createStatement();
                 ResultSet count = statement.executeQuery("SELECT count(*), sum(id % 1000 = 7) FROM notes")) {
                count.next();
                assertThat(count.getInt(1)).isEqualTo(32 * 49);
                assertThat(count.getInt(2)).isZero();
            }
            assertThat(threads).as("some work was group-committed on the writer's thread").contains("sqlite-writer");
        }
    }

    @Test
    void should_group_commit_without_spilling_a_journal_to_a_temporary_file() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc to see open files");
        try (Background background = new Background(); Connection connection = open()) {
            try (Statement statement = connection.createStatement()) {
                // One row per page: a piece updating 40 rows changes 40 pages (160 KB), past the 64 KB at which
                // SQLite moves a savepoint's journal of the pages it changed from memory to a temporary file.
                statement.execute("CREATE TABLE pages (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
                statement.execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 399) "
                        + "INSERT INTO pages SELECT i, printf('%.3000c', 'a') FROM n");
            }
            SqliteWriter writer = new SqliteWriter(connection);
            Set<String> journalFiles = ConcurrentHashMap.newKeySet();

            inOneGroup(writer, background, 10, piece -> c -> {
                // One row per statement: a statement's own journal (of the one page it changes) stays small.
                try (PreparedStatement update = c.prepareStatement("UPDATE pages SET body = printf('%.3000c', 'b') WHERE id = ?")) {
                    for (int row = piece * 40; row < piece * 40 + 40; row++) {
                        update.setInt(1, row);
                        update.executeUpdate();
                    }
                }
                journalFiles.addAll(openTemporaryFiles());
                return null;
            });
            writer.close();

            assertThat(journalFiles).isEmpty();
            try (Statement statement = connection.createStatement();
                 ResultSet count = statement.executeQuery("SELECT count(*) FROM pages WHERE body LIKE 'b%'")) {
                count.next();
                assertThat(count.getInt(1)).isEqualTo(400);
            }
        }
    }

    @Test
    void should_run_a_group_again_with_a_savepoint_per_piece_when_one_fails_and_commit_the_others() throws Exception {
        try (Background background = new Background(); Connection connection = open()) {
            SqliteWriter writer = new SqliteWriter(connection);
            AtomicInteger runsOfFirst = new AtomicInteger();

            List<Throwable> failures = inOneGroup(writer, background, 3, piece -> c -> {
                if (piece == 0) {
                    runsOfFirst.incrementAndGet();
                }
                insert(c, 10 + piece);
                if (piece == 1) {
                    throw new SQLException("refused");
                }
                return null;
            });
            writer.close();

            assertThat(failures.get(0)).isNull();
            assertThat(failures.get(1)).hasMessageContaining("refused");
            assertThat(failures.get(2)).isNull();
            assertThat(runsOfFirst).as("the group ran once without savepoints, then again with them").hasValue(2);
            assertThat(ids(connection)).isEqualTo("10,12");
        }
    }

    @Test
    void should_store_nothing_of_a_group_sqlite_rolled_back_itself_and_keep_writing() throws Exception {
        try (Background background = new Background(); Connection connection = open()) {
            SqliteWriter writer = new SqliteWriter(connection);

            List<Throwable> failures = inOneGroup(writer, background, 3, piece -> c -> {
                insert(c, 20 + piece);
                if (piece == 1) { // what SQLite does to a transaction after an I/O error or a full disk
                    try (Statement statement = c.createStatement()) {
                        statement.execute("ROLLBACK");
                    }
                    throw new SQLException("disk I/O error");
                }
                return null;
            });
            writer.inTransaction(c -> insert(c, 30));
            writer.close();

            assertThat(failures).allSatisfy(failure -> assertThat(failure).isNotNull());
            assertThat(ids(connection)).isEqualTo("30");
        }
    }

    @Test
    void should_hold_no_transaction_between_group_commits() throws Exception {
        try (Background background = new Background(); Connection connection = open();
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("test.db"))) {
            SqliteWriter writer = new SqliteWriter(connection);
            writer.start(background);
            writer.inTransaction(c -> insert(c, 1));

            try (Statement statement = other.createStatement()) {
                statement.execute("PRAGMA busy_timeout=0"); // fails at once if the writer still held the lock
                statement.execute("BEGIN IMMEDIATE");
                statement.execute("INSERT INTO notes (id) VALUES (2)");
                statement.execute("COMMIT");
            }
            writer.inTransaction(c -> insert(c, 3));
            writer.close();

            assertThat(ids(connection)).isEqualTo("1,2,3");
        }
    }

    /**
     * Runs {@code count} pieces of work as one group commit: they queue, in order, at a writer whose thread
     * has not started, which then takes them together. Each piece's failure, or null.
     */
    private static List<Throwable> inOneGroup(SqliteWriter writer, Background background, int count,
                                              IntFunction<Database.SqlWork<Object>> piece) throws Exception {
        List<Throwable> failures = new ArrayList<>(Collections.nCopies(count, null));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    writer.inTransaction(piece.apply(index));
                } catch (RuntimeException e) {
                    failures.set(index, e);
                }
            }));
            while (writer.queued() < i + 1) {
                Thread.sleep(1);
            }
        }
        writer.start(background);
        for (Thread thread : threads) {
            thread.join();
        }
        return failures;
    }

    private static List<String> openTemporaryFiles() {
        List<String> files = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.contains("etilqs_")) { // SQLite's prefix for its temporary files
                        files.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // not ours to worry about
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String ids(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet ids = statement.executeQuery("SELECT group_concat(id) FROM (SELECT id FROM notes ORDER BY id)")) {
            ids.next();
            return ids.getString(1);
        }
    }

    private static int insert(Connection c, int id) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO notes (id) VALUES (?)")) {
            insert.setInt(1, id);
            return insert.executeUpdate();
        }
    }

    private Connection open() throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("test.db"));
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)");
        }
        return connection;
    }
}
