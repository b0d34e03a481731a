package io.chatai.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
        PreparedStatement statement = null;
        boolean clean = false;
        try {
            statement = prepare();
            apply(statement, values);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            clean = true;
            return rows;
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            if (statement != null) {
                release(statement, clean);
            }
        }
    }

    /** The only row, or empty when there is none; more than one is an error. */
    public <T> Optional<T> findOne(RowMapper<T> mapper) {
        PreparedStatement statement = null;
        boolean clean = false;
        try {
            statement = prepare();
            apply(statement, values);
            T row = null;
            boolean found;
            boolean more;
            try (ResultSet rs = statement.executeQuery()) {
                found = rs.next();
                if (found) {
                    row = mapper.map(rs);
                }
                more = found && rs.next();
            }
            clean = true;
            if (more) {
                throw new IllegalStateException("More than one row for " + sql.text());
            }
            return found ? Optional.of(row) : Optional.empty();
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            if (statement != null) {
                release(statement, clean);
            }
        }
    }

    /** The only row; none is an error. */
    public <T> T one(RowMapper<T> mapper) {
        return findOne(mapper).orElseThrow(() -> new IllegalStateException("No row for " + sql.text()));
    }
}
