package io.chatai.userdata;

import io.chatai.conversation.UserErasures;
import io.chatai.memory.MemoryRepository;
import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import io.chatai.store.Sql;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything stored about one user, erased or exported in one transaction, and the retention sweep of old
 * conversations. Plain JDBC over the tables of several features (conversations, messages, stored turns,
 * memories, usage records): this is the one place that knows where a user's data lives. Thread-safe.
 */
public final class UserDataRepository {
    private final Database database;
    private final MemoryRepository memories;
    private final UserErasures erasures;

    public UserDataRepository(Database database, MemoryRepository memories) {
        this.database = database;
        this.memories = memories;
        this.erasures = new UserErasures(database);
    }

    /** What an erasure removed. {@code images} stays 0 until images are stored. */
    public record Erased(int conversations, int messages, int images, int memories) { }

    /**
     * Erases the user's conversations (with their messages and stored turns), idempotency records and
     * memories; usage records keep their numbers with the user id replaced by {@link #pseudonym}.
     */
    public Erased erase(String userId, long now) {
        // Recorded first and committed on its own: a turn or extraction of this user still running writes
        // nothing once it is (UserErasures), so what is deleted below stays deleted.
        erasures.record(userId, now);
        return database.write(sql -> {
            erasures.lockForErase(sql, userId);
            int messages = sql.query("SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                    + "WHERE c.user_id = :user").bind("user", userId).one(RowMapper.INT);
            sql.update("DELETE FROM turn_requests WHERE user_id = :user").bind("user", userId).execute();
            sql.update("DELETE FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE user_id = :user)")
                    .bind("user", userId).execute();
            int conversations = sql.update("DELETE FROM conversations WHERE user_id = :user").bind("user", userId).execute();
            sql.update("UPDATE conversation_total SET total = total - :n WHERE id = 1").bind("n", conversations).execute();
            int erasedMemories = memories.deleteUser(sql, userId);
            sql.update("UPDATE usage_records SET user_id = :pseudonym WHERE user_id = :user")
                    .bind("pseudonym", pseudonym(userId)).bind("user", userId).execute();
            return new Erased(conversations, messages, 0, erasedMemories);
        });
    }

    /** The user's conversations with their messages, and their memories, as one JSON-ready document. */
    public Map<String, Object> export(String userId, long now) {
        return database.read(sql -> {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("userId", userId);
            document.put("exportedAt", now);
            document.put("conversations", conversations(sql, userId));
            document.put("memories", memories.ofUser(sql, userId));
            return document;
        });
    }

    private static List<Map<String, Object>> conversations(Sql sql, String userId) {
        List<Map<String, Object>> conversations = sql.query("SELECT id, group_id, preset_id, created_at, updated_at "
                + "FROM conversations WHERE user_id = :user ORDER BY created_at, id").bind("user", userId).list(rs -> {
                    Map<String, Object> conversation = new LinkedHashMap<>();
                    conversation.put("id", rs.getString("id"));
                    String group = rs.getString("group_id");
                    conversation.put("groupId", group.isEmpty() ? null : group);
                    conversation.put("preset", rs.getString("preset_id"));
                    conversation.put("createdAt", rs.getLong("created_at"));
                    conversation.put("updatedAt", rs.getLong("updated_at"));
                    return conversation;
                });
        for (Map<String, Object> conversation : conversations) {
            conversation.put("messages", sql.query("SELECT role, content, created_at FROM messages "
                    + "WHERE conversation_id = :id ORDER BY seq").bind("id", conversation.get("id")).list(rs -> {
                        Map<String, Object> message = new LinkedHashMap<>();
                        message.put("role", rs.getString("role"));
                        message.put("content", rs.getString("content"));
                        message.put("timestamp", rs.getLong("created_at"));
                        return message;
                    }));
        }
        return conversations;
    }

    /**
     * Deletes at most {@code batch} conversations not updated since {@code cutoff} (their messages and stored
     * turns with them) in one short transaction; the number deleted.
     */
    public int deleteStale(long cutoff, int batch) {
        return database.write(sql -> {
            List<String> ids = sql.query("SELECT id FROM conversations WHERE updated_at < :cutoff "
                    + "ORDER BY updated_at, id LIMIT :batch").bind("cutoff", cutoff).bind("batch", batch).list(RowMapper.STRING);
            int deleted = 0;
            for (String id : ids) {
                sql.update("DELETE FROM turn_requests WHERE conversation_id = :id").bind("id", id).execute();
                sql.update("DELETE FROM messages WHERE conversation_id = :id").bind("id", id).execute();
                deleted += sql.update("DELETE FROM conversations WHERE id = :id").bind("id", id).execute();
            }
            sql.update("UPDATE conversation_total SET total = total - :n WHERE id = 1").bind("n", deleted).execute();
            return deleted;
        });
    }

    /** What usage records keep instead of an erased user's id: {@code sha256:} and 32 hex digits of its hash. */
    public static String pseudonym(String userId) {
        return UserErasures.pseudonym(userId);
    }
}
