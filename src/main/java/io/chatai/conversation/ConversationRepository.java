package io.chatai.conversation;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.TokenUsage;
import io.chatai.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.Query;

/**
 * Stores conversations and their messages. A turn is written by {@link #commit} in one transaction, so
 * a conversation only ever holds whole turns. The statements every turn runs use plain JDBC (see
 * {@link Database#query}); the rest use JDBI. Thread-safe.
 */
public final class ConversationRepository {
    private static final String COLUMNS = "id, user_id, group_id, preset_id, created_at, updated_at, message_count, last_message, next_seq";
    private static final String QUALIFIED = "c.id, c.user_id, c.group_id, c.preset_id, c.created_at, c.updated_at, "
            + "c.message_count, c.last_message, c.next_seq";
    private static final int LAST_MESSAGE_CHARS = 200;

    private final Database database;

    public ConversationRepository(Database database) {
        this.database = database;
    }

    /** One page of a listing and the number of all matches. */
    public record Page(List<Conversation> conversations, long total) { }

    public Optional<Conversation> find(String id) {
        return database.query(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM conversations WHERE id = ?")) {
                select.setString(1, id);
                return one(select);
            }
        });
    }

    /** The scope's most recently updated conversation, which a chat without {@code conversationId} continues. */
    public Optional<Conversation> latest(Scope scope) {
        return database.query(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM conversations "
                    + "WHERE user_id = ? AND group_id = ? ORDER BY updated_at DESC, id DESC LIMIT 1")) {
                select.setString(1, scope.userId());
                select.setString(2, scope.groupKey());
                return one(select);
            }
        });
    }

    private static Optional<Conversation> one(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    /** Conversations matching the optional filters, newest first (ties by id), and how many match in all. */
    public Page list(String userId, String groupId, int limit, int offset) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (userId != null) {
            where.append(" AND user_id = :userId");
        }
        if (groupId != null) {
            where.append(" AND group_id = :groupId");
        }
        return database.read(handle -> {
            Query count = userId == null && groupId == null
                    ? handle.createQuery("SELECT total FROM conversation_total WHERE id = 1")
                    : handle.createQuery("SELECT COUNT(*) FROM conversations" + where);
            long total = bind(count, userId, groupId).mapTo(Long.class).one();
            // An offset costs a walk over the rows it skips, so walk from whichever end is nearer: the
            // last pages of a million conversations are as cheap as the first.
            boolean fromEnd = offset > total / 2 && offset < total;
            long skip = fromEnd ? Math.max(0, total - offset - limit) : offset;
            long take = fromEnd ? Math.min(limit, total - offset) : limit;
            String order = fromEnd ? "ASC" : "DESC";
            // Deferred join: the offset is skipped inside an index that holds the ids (no table reads for
            // skipped rows), and only the page's rows are fetched.
            Query page = handle.createQuery("SELECT " + QUALIFIED + " FROM conversations c JOIN (SELECT id FROM conversations"
                    + where + " ORDER BY updated_at " + order + ", id " + order + " LIMIT :limit OFFSET :offset) p ON p.id = c.id "
                    + "ORDER BY c.updated_at DESC, c.id DESC");
            List<Conversation> conversations = bind(page, userId, groupId).bind("limit", take).bind("offset", skip)
                    .map((rs, ctx) -> map(rs)).list();
            return new Page(conversations, total);
        });
    }

    private static Query bind(Query query, String userId, String groupId) {
        if (userId != null) {
            query.bind("userId", userId);
        }
        if (groupId != null) {
            query.bind("groupId", groupId);
        }
        return query;
    }

    /** All messages, oldest first. */
    public List<StoredMessage> messages(String conversationId) {
        return database.read(handle -> handle.createQuery("SELECT seq, role, content, tokens, created_at FROM messages "
                        + "WHERE conversation_id = :id ORDER BY seq")
                .bind("id", conversationId)
                .map((rs, ctx) -> message(rs))
                .list());
    }

    /** The newest messages, newest first: the history a turn may draw its context from. */
    public List<StoredMessage> recentMessages(String conversationId, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return database.query(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT seq, role, content, tokens, created_at "
                    + "FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?")) {
                select.setString(1, conversationId);
                select.setInt(2, limit);
                try (ResultSet rs = select.executeQuery()) {
                    List<StoredMessage> messages = new ArrayList<>(limit);
                    while (rs.next()) {
                        messages.add(message(rs));
                    }
                    return messages;
                }
            }
        });
    }

    /** The stored result of an earlier turn with this requestId in this scope. */
    public Optional<StoredTurn> findTurn(Scope scope, String requestId) {
        return database.read(handle -> handle.createQuery("SELECT conversation_id, response, model, prompt_tokens, "
                        + "completion_tokens, estimated FROM turn_requests "
                        + "WHERE user_id = :userId AND group_id = :groupId AND request_id = :requestId")
                .bind("userId", scope.userId())
                .bind("groupId", scope.groupKey())
                .bind("requestId", requestId)
                .map((rs, ctx) -> new StoredTurn(rs.getString("conversation_id"), rs.getString("response"),
                        rs.getString("model"), new TokenUsage(rs.getInt("prompt_tokens"), rs.getInt("completion_tokens"),
                        rs.getBoolean("estimated"))))
                .findOne());
    }

    /**
     * Writes a turn: both messages, the conversation's counters and the requestId, or nothing at all.
     *
     * @param guard runs first inside the transaction and may veto the commit (a lost lease)
     * @throws ApiException {@code CONVERSATION_NOT_FOUND} if the conversation was deleted meanwhile
     */
    public void commit(TurnCommit turn, Guard guard) {
        database.transaction(connection -> {
            guard.check(connection);
            long nextSeq = nextSeq(connection, turn);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO messages "
                    + "(conversation_id, seq, role, content, tokens, created_at) VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, turn.conversationId());
                insert.setLong(2, nextSeq);
                insert.setString(3, "user");
                insert.setString(4, turn.userMessage());
                insert.setInt(5, turn.userTokens());
                insert.setLong(6, turn.userAt());
                insert.setString(7, turn.conversationId());
                insert.setLong(8, nextSeq + 1);
                insert.setString(9, "assistant");
                insert.setString(10, turn.reply());
                insert.setInt(11, turn.replyTokens());
                insert.setLong(12, turn.replyAt());
                insert.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE conversations SET preset_id = ?, updated_at = ?, "
                    + "message_count = message_count + 2, last_message = ?, next_seq = ? WHERE id = ?")) {
                update.setString(1, turn.presetId());
                update.setLong(2, turn.replyAt());
                update.setString(3, cut(turn.reply()));
                update.setLong(4, nextSeq + 2);
                update.setString(5, turn.conversationId());
                update.executeUpdate();
            }
            if (turn.requestId() != null) {
                storeTurn(connection, turn);
            }
            return null;
        });
    }

    /** Checks, first thing in the commit's transaction, that the turn may still commit (a lease not lost). */
    @FunctionalInterface
    public interface Guard {
        void check(Connection connection) throws SQLException;
    }

    /** The conversation's next sequence number, creating the conversation if the turn may. */
    private static long nextSeq(Connection connection, TurnCommit turn) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT next_seq FROM conversations WHERE id = ?")) {
            select.setString(1, turn.conversationId());
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        if (!turn.create()) {
            throw new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "The conversation was deleted while this turn was running");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO conversations (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, 0, NULL, 0)")) {
            insert.setString(1, turn.conversationId());
            insert.setString(2, turn.scope().userId());
            insert.setString(3, turn.scope().groupKey());
            insert.setString(4, turn.presetId());
            insert.setLong(5, turn.userAt());
            insert.setLong(6, turn.userAt());
            insert.executeUpdate();
        }
        try (PreparedStatement count = connection.prepareStatement("UPDATE conversation_total SET total = total + 1 WHERE id = 1")) {
            count.executeUpdate();
        }
        return 0;
    }

    private static void storeTurn(Connection connection, TurnCommit turn) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO turn_requests (user_id, group_id, request_id, "
                + "conversation_id, response, model, prompt_tokens, completion_tokens, estimated, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, group_id, request_id) DO NOTHING")) {
            insert.setString(1, turn.scope().userId());
            insert.setString(2, turn.scope().groupKey());
            insert.setString(3, turn.requestId());
            insert.setString(4, turn.conversationId());
            insert.setString(5, turn.reply());
            insert.setString(6, turn.model());
            insert.setInt(7, turn.usage().promptTokens());
            insert.setInt(8, turn.usage().completionTokens());
            insert.setBoolean(9, turn.usage().estimated());
            insert.setLong(10, turn.replyAt());
            insert.executeUpdate();
        }
    }

    /** Removes the messages but keeps the conversation, its id and scope; false when it does not exist. */
    public boolean clear(String id, long now) {
        return database.write(handle -> {
            handle.createUpdate("DELETE FROM messages WHERE conversation_id = :id").bind("id", id).execute();
            return handle.createUpdate("UPDATE conversations SET message_count = 0, last_message = NULL, updated_at = :now "
                    + "WHERE id = :id").bind("id", id).bind("now", now).execute() == 1;
        });
    }

    /** Deletes the conversation and, by cascade, its messages and stored turns. */
    public boolean delete(String id) {
        return database.write(handle -> {
            boolean deleted = handle.createUpdate("DELETE FROM conversations WHERE id = :id").bind("id", id).execute() == 1;
            if (deleted) {
                handle.createUpdate("UPDATE conversation_total SET total = total - 1 WHERE id = 1").execute();
            }
            return deleted;
        });
    }

    /** The text cut to at most 200 code points, never splitting a character. */
    static String cut(String text) {
        if (text.codePointCount(0, text.length()) <= LAST_MESSAGE_CHARS) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, LAST_MESSAGE_CHARS));
    }

    private static Conversation map(ResultSet rs) throws SQLException {
        return new Conversation(rs.getString("id"), Scope.fromStored(rs.getString("user_id"), rs.getString("group_id")),
                rs.getString("preset_id"), rs.getLong("created_at"), rs.getLong("updated_at"), rs.getInt("message_count"),
                rs.getString("last_message"), rs.getLong("next_seq"));
    }

    private static StoredMessage message(ResultSet rs) throws SQLException {
        return new StoredMessage(rs.getLong("seq"), ChatMessage.Role.fromWire(rs.getString("role")), rs.getString("content"),
                rs.getInt("tokens"), rs.getLong("created_at"));
    }
}
