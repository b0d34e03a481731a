package io.chatai.userdata;

import io.chatai.conversation.ConversationImages;
import io.chatai.conversation.ConversationRepository;
import io.chatai.conversation.UserErasures;
import io.chatai.memory.MemoryRepository;
import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import io.chatai.store.Sql;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Everything stored about one user, erased or exported in one transaction, and the retention sweep of old
 * conversations. Plain JDBC over the tables of several features (conversations, messages, stored turns,
 * memories, usage records): this is the one place that knows where a user's data lives. Thread-safe.
 */
public final class UserDataRepository {
    private final Database database;
    private final ConversationRepository conversations;
    private final MemoryRepository memories;
    private final UserErasures erasures;

    /** @param conversations told of every conversation and message removed here, for what it keeps in memory */
    public UserDataRepository(Database database, ConversationRepository conversations, MemoryRepository memories) {
        this.database = database;
        this.conversations = conversations;
        this.memories = memories;
        this.erasures = new UserErasures(database);
    }

    /**
     * What an erasure removed: the user's conversations, their messages (with those the user said in groups'
     * shared conversations, and the answers to them), the distinct images those messages held, and memories.
     */
    public record Erased(int conversations, int messages, int images, int memories) { }

    /**
     * Erases the user's conversations (with their messages, images and stored turns), their messages in groups'
     * shared conversations with the answers to them, idempotency records and memories; usage records keep
     * their numbers with the user id replaced by {@link #pseudonym}.
     */
    public Erased erase(String userId, long now) {
        // Recorded first and committed on its own: a turn or extraction of this user still running writes
        // nothing once it is (UserErasures), so what is deleted below stays deleted.
        erasures.record(userId, now);
        try {
            return eraseRows(userId);
        } finally {
            conversations.forgetCached();
        }
    }

    private Erased eraseRows(String userId) {
        return database.write(sql -> {
            erasures.lockForErase(sql, userId);
            String own = "SELECT id FROM conversations WHERE user_id = :user";
            int messages = sql.query("SELECT COUNT(*) FROM messages WHERE conversation_id IN (" + own + ")")
                    .bind("user", userId).one(RowMapper.INT);
            Set<String> images = new LinkedHashSet<>(sql.query("SELECT DISTINCT image_id FROM message_images "
                    + "WHERE conversation_id IN (" + own + ")").bind("user", userId).list(RowMapper.STRING));
            messages += eraseFromGroups(sql, userId, images);
            sql.update("DELETE FROM turn_requests WHERE user_id = :user").bind("user", userId).execute();
            sql.update("DELETE FROM message_images WHERE conversation_id IN (" + own + ")").bind("user", userId).execute();
            sql.update("DELETE FROM messages WHERE conversation_id IN (" + own + ")").bind("user", userId).execute();
            int conversations = sql.update("DELETE FROM conversations WHERE user_id = :user").bind("user", userId).execute();
            sql.update("UPDATE conversation_total SET total = total - :n WHERE id = 1").bind("n", conversations).execute();
            ConversationImages.removeUnused(sql, List.copyOf(images)); // an image another message still holds stays
            int erasedMemories = memories.deleteUser(sql, userId);
            // Responses stored by /v1/responses for this user (its `user` field): their inputs are the user's words.
            sql.update("DELETE FROM responses WHERE user_id = :user").bind("user", userId).execute();
            // A paused turn's state holds the user's message: gone now; its continuation finds nothing (404).
            sql.update("DELETE FROM paused_turns WHERE user_id = :user").bind("user", userId).execute();
            sql.update("UPDATE usage_records SET user_id = :pseudonym WHERE user_id = :user")
                    .bind("pseudonym", pseudonym(userId)).bind("user", userId).execute();
            return new Erased(conversations, messages, images.size(), erasedMemories);
        });
    }

    /** A message of a group's shared conversation, by its key. */
    private record GroupMessage(String conversationId, long seq) { }

    /**
     * Deletes what the user said in groups' shared conversations and the answers right after it, collecting
     * their images; the conversations' counters are recounted. The number of messages deleted.
     */
    private static int eraseFromGroups(Sql sql, String userId, Set<String> images) {
        List<GroupMessage> said = sql.query("SELECT conversation_id, seq FROM messages WHERE user_id = :user")
                .bind("user", userId).list(rs -> new GroupMessage(rs.getString("conversation_id"), rs.getLong("seq")));
        int deleted = 0;
        Set<String> touched = new LinkedHashSet<>();
        for (GroupMessage message : said) {
            touched.add(message.conversationId());
            images.addAll(sql.query("SELECT image_id FROM message_images WHERE conversation_id = :id AND seq = :seq")
                    .bind("id", message.conversationId()).bind("seq", message.seq()).list(RowMapper.STRING));
            sql.update("DELETE FROM message_images WHERE conversation_id = :id AND seq = :seq")
                    .bind("id", message.conversationId()).bind("seq", message.seq()).execute();
            deleted += sql.update("DELETE FROM messages WHERE conversation_id = :id AND (seq = :seq "
                            + "OR seq = :next AND role = 'assistant')")
                    .bind("id", message.conversationId()).bind("seq", message.seq()).bind("next", message.seq() + 1).execute();
        }
        for (String id : touched) {
            sql.update("UPDATE conversations SET message_count = (SELECT COUNT(*) FROM messages WHERE conversation_id = :id), "
                    + "last_message = (SELECT substr(content, 1, 200) FROM messages WHERE conversation_id = :id "
                    + "ORDER BY seq DESC LIMIT 1) WHERE id = :id").bind("id", id).execute();
        }
        return deleted;
    }

    /** The user's conversations with their messages, and their memories, as one JSON-ready document. */
    public Map<String, Object> export(String userId, long now) {
        return database.read(sql -> {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("userId", userId);
            document.put("exportedAt", now);
            document.put("conversations", conversations(sql, userId));
            document.put("groupMessages", groupMessages(sql, userId));
            document.put("memories", memories.ofUser(sql, userId));
            return document;
        });
    }

    @SuppressWarnings("unchecked") // the messages list is built just above as maps
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
            conversation.put("messages", sql.query("SELECT seq, role, content, created_at FROM messages "
                    + "WHERE conversation_id = :id ORDER BY seq").bind("id", conversation.get("id")).list(rs -> {
                        Map<String, Object> message = new LinkedHashMap<>();
                        message.put("role", rs.getString("role"));
                        message.put("content", rs.getString("content"));
                        message.put("timestamp", rs.getLong("created_at"));
                        message.put("seq", rs.getLong("seq"));
                        return message;
                    }));
            withImages(sql, (String) conversation.get("id"), (List<Map<String, Object>>) conversation.get("messages"));
        }
        return conversations;
    }

    /** What the user said in groups' shared conversations, each with the answer to it (if any), oldest first. */
    private static List<Map<String, Object>> groupMessages(Sql sql, String userId) {
        List<Map<String, Object>> said = sql.query("SELECT m.conversation_id, c.group_id, m.seq, m.content, m.user_name, "
                + "m.created_at, a.content AS answer FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                + "LEFT JOIN messages a ON a.conversation_id = m.conversation_id AND a.seq = m.seq + 1 AND a.role = 'assistant' "
                + "WHERE m.user_id = :user ORDER BY m.created_at, m.conversation_id, m.seq").bind("user", userId).list(rs -> {
                    Map<String, Object> message = new LinkedHashMap<>();
                    message.put("conversationId", rs.getString("conversation_id"));
                    message.put("groupId", rs.getString("group_id"));
                    message.put("seq", rs.getLong("seq"));
                    message.put("userName", rs.getString("user_name"));
                    message.put("content", rs.getString("content"));
                    message.put("timestamp", rs.getLong("created_at"));
                    message.put("answer", rs.getString("answer"));
                    return message;
                });
        for (Map<String, Object> message : said) {
            withImages(sql, (String) message.get("conversationId"), List.of(message));
        }
        return said;
    }

    /**
     * Adds to each message its images (id, type, size and the URL that serves the bytes): bytes are not inlined,
     * so an export stays small whatever the user sent.
     */
    private static void withImages(Sql sql, String conversationId, List<Map<String, Object>> messages) {
        for (Map<String, Object> message : messages) {
            List<Map<String, Object>> images = sql.query("SELECT i.id, i.mime_type, i.width, i.height, i.size "
                    + "FROM message_images mi JOIN images i ON i.id = mi.image_id WHERE mi.conversation_id = :id AND mi.seq = :seq "
                    + "ORDER BY mi.position").bind("id", conversationId).bind("seq", message.get("seq")).list(rs -> {
                        Map<String, Object> image = new LinkedHashMap<>();
                        image.put("id", rs.getString("id"));
                        image.put("mimeType", rs.getString("mime_type"));
                        image.put("width", rs.getInt("width"));
                        image.put("height", rs.getInt("height"));
                        image.put("size", rs.getLong("size"));
                        image.put("url", ConversationRepository.imagePath(conversationId, rs.getString("id")));
                        return image;
                    });
            if (!images.isEmpty()) {
                message.put("images", images);
            }
        }
    }

    /**
     * Deletes at most {@code batch} conversations not updated since {@code cutoff} (their messages and stored
     * turns with them) in one short transaction; the number deleted.
     */
    public int deleteStale(long cutoff, int batch) {
        boolean changed = true; // a failed write may have committed all the same
        try {
            int deleted = deleteStaleRows(cutoff, batch);
            changed = deleted != 0; // the sweep that finds nothing, every period, keeps what memory holds
            return deleted;
        } finally {
            if (changed) {
                conversations.forgetCached();
            }
        }
    }

    private int deleteStaleRows(long cutoff, int batch) {
        return database.write(sql -> {
            List<String> ids = sql.query("SELECT id FROM conversations WHERE updated_at < :cutoff "
                    + "ORDER BY updated_at, id LIMIT :batch").bind("cutoff", cutoff).bind("batch", batch).list(RowMapper.STRING);
            int deleted = 0;
            Set<String> images = new LinkedHashSet<>();
            for (String id : ids) {
                images.addAll(sql.query("SELECT DISTINCT image_id FROM message_images WHERE conversation_id = :id")
                        .bind("id", id).list(RowMapper.STRING));
                sql.update("DELETE FROM message_images WHERE conversation_id = :id").bind("id", id).execute();
                sql.update("DELETE FROM turn_requests WHERE conversation_id = :id").bind("id", id).execute();
                sql.update("DELETE FROM messages WHERE conversation_id = :id").bind("id", id).execute();
                deleted += sql.update("DELETE FROM conversations WHERE id = :id").bind("id", id).execute();
            }
            ConversationImages.removeUnused(sql, List.copyOf(images)); // images no other message holds go with them
            sql.update("UPDATE conversation_total SET total = total - :n WHERE id = 1").bind("n", deleted).execute();
            return deleted;
        });
    }

    /**
     * Deletes at most {@code batch} responses stored by {@code /v1/responses} before {@code cutoff} that nothing
     * continues: a chain goes from its newest response back, one link per sweep pass, once its newest is older
     * than the retention, so a chain still being continued keeps every link it needs. The number deleted.
     */
    public int deleteStaleResponses(long cutoff, int batch) {
        return database.write(sql -> sql.update("DELETE FROM responses WHERE id IN (SELECT r.id FROM responses r "
                        + "WHERE r.created_at < :cutoff AND NOT EXISTS (SELECT 1 FROM responses n WHERE n.previous_id = r.id) "
                        + "ORDER BY r.created_at LIMIT :batch)")
                .bind("cutoff", cutoff).bind("batch", batch).execute());
    }

    /** What usage records keep instead of an erased user's id: {@code sha256:} and 32 hex digits of its hash. */
    public static String pseudonym(String userId) {
        return UserErasures.pseudonym(userId);
    }
}
