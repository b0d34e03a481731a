package io.chatai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.Background;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

            try (Statement statement = connection.createStatement();
                 ResultSet ids = statement.executeQuery("SELECT group_concat(id) FROM notes")) {
                ids.next();
                assertThat(ids.getString(1)).isEqualTo("3");
            }
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
