package io.chatai.tool;

import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import java.util.List;

/**
 * The tool-execution log: one row per tool call, written when its round ends and kept whatever becomes of the
 * turn (a call already made is not undone). Thread-safe.
 */
public final class ToolExecutionRepository {
    private final Database database;

    public ToolExecutionRepository(Database database) {
        this.database = database;
    }

    /** Writes one round's calls in one transaction. */
    public void insert(List<ToolExecution> executions) {
        if (executions.isEmpty()) {
            return;
        }
        database.update(sql -> sql.update("INSERT INTO tool_executions (created_at, turn_id, key_id, user_id, group_id, "
                        + "conversation_id, tool, duration_ms, success, result_bytes) VALUES (:createdAt, :turnId, :keyId, "
                        + ":userId, :groupId, :conversationId, :tool, :durationMs, :success, :resultBytes)")
                .executeBatch(executions));
    }

    /** The calls of one turn, in the order they were recorded. */
    public List<ToolExecution> ofTurn(String turnId) {
        return database.read(sql -> sql.query("SELECT created_at, turn_id, key_id, user_id, group_id, conversation_id, "
                        + "tool, duration_ms, success, result_bytes FROM tool_executions WHERE turn_id = :turnId ORDER BY id")
                .bind("turnId", turnId)
                .list(rs -> new ToolExecution(rs.getLong("created_at"), rs.getString("turn_id"), rs.getString("key_id"),
                        rs.getString("user_id"), rs.getString("group_id"), rs.getString("conversation_id"),
                        rs.getString("tool"), rs.getLong("duration_ms"), rs.getBoolean("success"),
                        rs.getLong("result_bytes"))));
    }

    /** How many calls are recorded in all (for tests and the panel's counters). */
    public long count() {
        return database.read(sql -> sql.query("SELECT COUNT(*) FROM tool_executions").one(RowMapper.LONG));
    }
}
