package io.chatai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SQLite statements compiled once per connection, never shared while in use, and never reused after a failure. */
class StatementCacheTest {
    private Connection connection;
    private StatementCache cache;
    private Sql sql;

    @BeforeEach
    void open() throws Exception {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        cache = StatementCache.of(connection);
        sql = new Sql(connection, cache);
        sql.update("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").execute();
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    @Test
    void should_hand_out_the_same_statement_again_once_it_came_back_with_its_parameters_cleared() throws Exception {
        sql.update("INSERT INTO notes (id, body) VALUES (7, 'seven')").execute();
        PreparedStatement first = cache.take(connection, "SELECT body FROM notes WHERE id = ?");
        first.setLong(1, 7);
        try (var rs = first.executeQuery()) {
            assertThat(rs.next()).isTrue();
        }
        cache.giveBack("SELECT body FROM notes WHERE id = ?", first, true);

        PreparedStatement again = cache.take(connection, "SELECT body FROM notes WHERE id = ?");

        assertThat(again).isSameAs(first);
        try (var rs = again.executeQuery()) {
            assertThat(rs.next()).as("the old binding was cleared (NULL matches no id)").isFalse();
        }
    }

    @Test
    void should_run_the_same_sql_twice_at_once_on_two_statements() {
        sql.update("INSERT INTO notes (id, body) VALUES (:id, :body)").bind("id", 1L).bind("body", "a").execute();
        sql.update("INSERT INTO notes (id, body) VALUES (:id, :body)").bind("id", 2L).bind("body", "b").execute();
        String each = "SELECT body FROM notes WHERE id >= :from ORDER BY id";

        // Inside the outer query's rows, the same SQL runs again: it must not get the statement in use.
        List<String> nested = sql.query(each).bind("from", 1L).list(rs -> rs.getString("body")
                + sql.query(each).bind("from", 2L).list(inner -> inner.getString("body")));

        assertThat(nested).containsExactly("a[b]", "b[b]");
        // CREATE TABLE, the INSERT (used twice, one statement) and the query (one of its two kept)
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void should_not_keep_a_statement_whose_run_failed_and_still_run_the_next_one() {
        Update insert = sql.update("INSERT INTO notes (id, body) VALUES (:id, :body)").bind("id", 1L).bind("body", "a");
        insert.execute();
        int kept = cache.size();

        assertThatThrownBy(() -> sql.update("INSERT INTO notes (id, body) VALUES (:id, :body)").bind("id", 1L).bind("body", "dup").execute())
                .isInstanceOf(Database.StoreException.class).hasMessageContaining("UNIQUE");
        assertThat(cache.size()).as("the failed statement was closed, not kept").isEqualTo(kept - 1);

        sql.update("INSERT INTO notes (id, body) VALUES (:id, :body)").bind("id", 2L).bind("body", "b").execute();
        assertThat(sql.query("SELECT COUNT(*) FROM notes").one(RowMapper.INT)).isEqualTo(2);
    }

    @Test
    void should_keep_at_most_its_bound_closing_the_least_recently_used() throws Exception {
        PreparedStatement oldest = cache.take(connection, "SELECT 0");
        cache.giveBack("SELECT 0", oldest, true);
        for (int i = 1; i <= StatementCache.MAX_STATEMENTS + 10; i++) {
            sql.query("SELECT " + i).one(RowMapper.INT);
        }

        assertThat(cache.size()).isEqualTo(StatementCache.MAX_STATEMENTS);
        assertThat(oldest.isClosed()).isTrue();
    }

    @Test
    void should_prepare_and_close_every_time_without_a_cache() throws Exception {
        PreparedStatement statement = StatementCache.NONE.take(connection, "SELECT 1");
        StatementCache.NONE.giveBack("SELECT 1", statement, true);

        assertThat(statement.isClosed()).isTrue();
    }
}
