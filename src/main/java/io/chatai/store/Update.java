package io.chatai.store;

import java.util.List;

/** An INSERT, UPDATE or DELETE with named parameters; see {@link SqlStatement}. */
public final class Update extends SqlStatement<Update> {

    Update(java.sql.Connection connection, StatementCache statements, String text) {
        super(connection, statements, text);
    }

    /** Runs it once with the bound values; returns how many rows changed. */
    public int execute() {
        return withStatement(statement -> {
            apply(statement, values);
            return statement.executeUpdate();
        });
    }

    /**
     * Runs it once per record, each bound by {@link #bindFields} over the values bound so far, as one
     * JDBC batch on one prepared statement.
     */
    public void executeBatch(List<? extends Record> records) {
        Object[] common = values;
        try {
            withStatement(statement -> {
                for (Record record : records) {
                    values = common.clone();
                    bindFields(record);
                    apply(statement, values);
                    statement.addBatch();
                }
                return statement.executeBatch();
            });
        } finally {
            values = common;
        }
    }
}
