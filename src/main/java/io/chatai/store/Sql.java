package io.chatai.store;

import java.sql.Connection;

/**
 * One unit of work's connection, lent by {@link Database} for the length of a callback: statements
 * are written with named parameters ({@code :name}) and run on plain JDBC. Inside
 * {@link Database#write} everything runs in one transaction. Not thread-safe, and not to be kept after
 * the callback returns.
 */
public final class Sql {
    private final Connection connection;
    private final StatementCache statements;

    /** Statements prepared on the connection and closed after each use. */
    Sql(Connection connection) {
        this(connection, StatementCache.NONE);
    }

    Sql(Connection connection, StatementCache statements) {
        this.connection = connection;
        this.statements = statements;
    }

    /** A statement that returns rows. */
    public Query query(String text) {
        return new Query(connection, statements, text);
    }

    /** A statement that changes rows. */
    public Update update(String text) {
        return new Update(connection, statements, text);
    }
}
