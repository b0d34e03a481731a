package io.chatai.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;

/**
 * A statement with named parameters being bound: values are collected by name and handed to JDBC only
 * when the statement runs, so nothing is left open if the caller stops half way. Running it with a
 * parameter left unbound, or binding a name the SQL does not have, is an error that names it. Not
 * thread-safe: it lives inside one unit of work.
 */
public abstract sealed class SqlStatement<S extends SqlStatement<S>> permits Query, Update {
    private static final Object UNSET = new Object();
    /** Each record type's accessors, looked up once. */
    private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Field[] fields = new Field[components.length];
            for (int i = 0; i < components.length; i++) {
                Method accessor = components[i].getAccessor();
                accessor.setAccessible(true);
                fields[i] = new Field(components[i].getName(), accessor);
            }
            return fields;
        }
    };

    private record Field(String name, Method accessor) { }

    final Connection connection;
    private final StatementCache statements;
    final NamedSql sql;
    Object[] values;

    SqlStatement(Connection connection, StatementCache statements, String text) {
        this.connection = connection;
        this.statements = statements;
        this.sql = NamedSql.of(text);
        this.values = newValues();
    }

    final Object[] newValues() {
        Object[] fresh = new Object[sql.names().length];
        Arrays.fill(fresh, UNSET);
        return fresh;
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** Binds every occurrence of {@code :name}; null binds SQL's NULL. */
    public S bind(String name, Object value) {
        for (int position : sql.positionsOf(name)) {
            values[position - 1] = value;
        }
        return self();
    }

    /**
     * Binds each component of the record to the parameter of the same name, where the SQL has one
     * ({@code :createdAt} takes {@code createdAt()}); components the SQL does not name are skipped.
     */
    public S bindFields(Record record) {
        for (Field field : FIELDS.get(record.getClass())) {
            int[] positions = sql.positions().get(field.name());
            if (positions != null) {
                Object value = read(field, record);
                for (int position : positions) {
                    values[position - 1] = value;
                }
            }
        }
        return self();
    }

    private static Object read(Field field, Record record) {
        try {
            return field.accessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot read " + field.name() + " of " + record.getClass().getSimpleName(), e);
        }
    }

    /** What a statement is used for, once prepared. */
    @FunctionalInterface
    interface StatementWork<R> {
        R run(PreparedStatement statement) throws SQLException;
    }

    /**
     * Runs the work on the statement for this SQL (from the connection's cache where it has one) and hands
     * the statement back: kept for reuse if the work ran cleanly, else closed. A JDBC failure becomes a
     * {@link Database.StoreException}.
     */
    final <R> R withStatement(StatementWork<R> work) {
        boolean clean = false;
        PreparedStatement statement = null;
        try {
            statement = statements.take(connection, sql.jdbc());
            R result = work.run(statement);
            clean = true;
            return result;
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            if (statement != null) {
                statements.giveBack(sql.jdbc(), statement, clean);
            }
        }
    }

    /** Hands the collected values to JDBC, each with the setter of its type. */
    final void apply(PreparedStatement statement, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            Object value = row[i];
            if (value == UNSET) {
                throw new IllegalStateException("No value bound for :" + sql.names()[i] + " in " + sql.text());
            }
            int position = i + 1;
            switch (value) {
                case null -> statement.setNull(position, Types.NULL);
                case String text -> statement.setString(position, text);
                case Long number -> statement.setLong(position, number);
                case Integer number -> statement.setInt(position, number);
                case Boolean flag -> statement.setBoolean(position, flag);
                case Double number -> statement.setDouble(position, number);
                default -> statement.setObject(position, value);
            }
        }
    }

    final Database.StoreException failed(SQLException e) {
        return new Database.StoreException(e);
    }
}
