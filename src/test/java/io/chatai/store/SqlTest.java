package io.chatai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Named parameters: parsed once, bound by name or by a record's fields, and never silently left out. */
class SqlTest {
    private Connection connection;
    private Sql sql;

    record Note(long id, String body, Integer stars) { }

    @BeforeEach
    void open() throws Exception {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        sql = new Sql(connection);
        sql.update("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, stars INTEGER)").execute();
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    @Test
    void should_turn_names_into_positions_and_leave_literals_and_casts_alone() {
        NamedSql parsed = NamedSql.parse("SELECT x::BIGINT, ':not' FROM t WHERE a = :a AND b LIKE 'enc:v1:%' AND c IN (:a, :b_2)");

        assertThat(parsed.jdbc()).isEqualTo("SELECT x::BIGINT, ':not' FROM t WHERE a = ? AND b LIKE 'enc:v1:%' AND c IN (?, ?)");
        assertThat(parsed.names()).containsExactly("a", "a", "b_2");
        assertThat(parsed.positionsOf("a")).containsExactly(1, 2);
        assertThat(parsed.positionsOf("b_2")).containsExactly(3);
    }

    @Test
    void should_bind_a_records_fields_by_name_nulls_included() {
        sql.update("INSERT INTO notes (id, body, stars) VALUES (:id, :body, :stars)").bindFields(new Note(1, "first", null)).execute();
        sql.update("INSERT INTO notes (id, body, stars) VALUES (:id, :body, :stars)").executeBatch(List.of(
                new Note(2, "second", 4), new Note(3, null, 0)));

        List<Note> notes = sql.query("SELECT id, body, stars FROM notes WHERE id >= :from ORDER BY id").bind("from", 1L)
                .list(rs -> new Note(rs.getLong("id"), rs.getString("body"), RowMapper.nullableInt(rs, "stars")));
        assertThat(notes).containsExactly(new Note(1, "first", null), new Note(2, "second", 4), new Note(3, null, 0));
    }

    @Test
    void should_refuse_a_parameter_left_unbound_or_a_name_the_statement_lacks() {
        assertThatThrownBy(() -> sql.update("INSERT INTO notes (id, body) VALUES (:id, :body)").bind("id", 1L).execute())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(":body");
        assertThatThrownBy(() -> sql.query("SELECT body FROM notes WHERE id = :id").bind("idd", 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":idd");
        assertThat(sql.query("SELECT COUNT(*) FROM notes").one(RowMapper.INT)).isZero();
    }

    @Test
    void should_find_at_most_one_row() {
        sql.update("INSERT INTO notes (id, body) VALUES (1, 'a'), (2, 'b')").execute();

        assertThat(sql.query("SELECT body FROM notes WHERE id = :id").bind("id", 2).findOne(RowMapper.STRING)).contains("b");
        assertThat(sql.query("SELECT body FROM notes WHERE id = :id").bind("id", 9).findOne(RowMapper.STRING)).isEmpty();
        assertThatThrownBy(() -> sql.query("SELECT body FROM notes").findOne(RowMapper.STRING))
                .isInstanceOf(IllegalStateException.class);
    }
}
