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

    Sql(Connection connection) {
        this.connection = connection;
    }

    /** A statement that returns rows. */
    public Query query(String text) {
        return new Query(connection, text);
    }

    /** A statement that changes rows. */
    public Update update(String text) {
        return new Update(connection, text);
    }
}
