package io.chatai.store;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A SELECT (or a statement that returns rows) with named parameters; see {@link SqlStatement}. */
public final class Query extends SqlStatement<Query> {

    Query(java.sql.Connection connection, StatementCache statements, String text) {
        super(connection, statements, text);
    }

    /** Every row, mapped. */
    public <T> List<T> list(RowMapper<T> mapper) {
        return withStatement(statement -> {
            apply(statement, values);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        });
    }

    /** The only row, or empty when there is none; more than one is an error. */
    public <T> Optional<T> findOne(RowMapper<T> mapper) {
        return withStatement(statement -> {
            apply(statement, values);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                T row = mapper.map(rs);
                if (rs.next()) {
                    throw new IllegalStateException("More than one row for " + sql.text());
                }
                return Optional.of(row);
            }
        });
    }

    /** The only row; none is an error. */
    public <T> T one(RowMapper<T> mapper) {
        return findOne(mapper).orElseThrow(() -> new IllegalStateException("No row for " + sql.text()));
    }
}
