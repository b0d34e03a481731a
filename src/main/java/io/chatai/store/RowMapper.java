package io.chatai.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns the current row of a result into a value. Mappers read columns by name; the helpers below read
 * the first column, and tell SQL's NULL from zero where a column may hold it.
 */
@FunctionalInterface
public interface RowMapper<T> {
    RowMapper<Long> LONG = rs -> rs.getLong(1);
    RowMapper<Integer> INT = rs -> rs.getInt(1);
    RowMapper<String> STRING = rs -> rs.getString(1);
    RowMapper<Boolean> BOOLEAN = rs -> rs.getBoolean(1);

    T map(ResultSet rs) throws SQLException;

    /** The column's value, or null for SQL's NULL (where {@code getInt} would say 0). */
    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value; // wasNull speaks of the last column read: ask at once
    }

    /** The column's value, or null for SQL's NULL. */
    static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
