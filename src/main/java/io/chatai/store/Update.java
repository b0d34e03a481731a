package io.chatai.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** An INSERT, UPDATE or DELETE with named parameters; see {@link SqlStatement}. */
public final class Update extends SqlStatement<Update> {

    Update(java.sql.Connection connection, StatementCache statements, String text) {
        super(connection, statements, text);
    }

    /** Runs it once with the bound values; returns how many rows changed. */
    public int execute() {
        PreparedStatement statement = null;
        boolean clean = false;
        try {
            statement = prepare();
            apply(statement, values);
            int changed = statement.executeUpdate();
            clean = true;
            return changed;
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            if (statement != null) {
                release(statement, clean);
            }
        }
    }

    /**
     * Runs it once per record, each bound by {@link #bindFields} over the values bound so far, as one
     * JDBC batch on one prepared statement.
     */
    public void executeBatch(List<? extends Record> records) {
        Object[] common = values;
        PreparedStatement statement = null;
        boolean clean = false;
        try {
            statement = prepare();
            for (Record record : records) {
                values = common.clone();
                bindFields(record);
                apply(statement, values);
                statement.addBatch();
            }
            statement.executeBatch();
            clean = true;
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            values = common;
            if (statement != null) {
                release(statement, clean);
            }
        }
    }
}
