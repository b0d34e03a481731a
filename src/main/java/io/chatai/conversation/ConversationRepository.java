package io.chatai.conversation;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Parts;
import io.chatai.core.message.TokenUsage;
import io.chatai.store.Database;
import io.chatai.store.Query;
import io.chatai.store.RowMapper;
import io.chatai.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stores conversations and their messages. A turn is written by {@link #commit} in one transaction, so
 * a conversation only ever holds whole turns. Thread-safe.
 */
public final class ConversationRepository {
    private static final String COLUMNS = "id, user_id, group_id, preset_id, created_at, updated_at, message_count, last_message, next_seq";
    private static final String QUALIFIED = "c.id, c.user_id, c.group_id, c.preset_id, c.created_at, c.updated_at, "
            + "c.message_count, c.last_message, c.next_seq";
    private static final int LAST_MESSAGE_CHARS = 200;

    private final Database database;
    private final UserErasures erasures;
    private final ConversationCache cache;

    public ConversationRepository(Database database) {
        this.database = database;
        this.erasures = new UserErasures(database);
        this.cache = ConversationCache.forDialect(database.dialect());
    }

    /** One page of a listing and the number of all matches. */
    public record Page(List<Conversation> conversations, long total) { }

    public Optional<Conversation> find(String id) {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM conversations WHERE id = :id")
                .bind("id", id)
                .findOne(ConversationRepository::map));
    }

    /**
     * The id of the scope's most recently updated conversation, which a chat without {@code conversationId}
     * continues. Only the id: the scope index holds it, so the read never touches the table (every turn
     * of a bot runs it).
     */
    public Optional<String> latestId(Scope scope) {
        return cache.latest(scope, () -> database.read(sql -> sql.query("SELECT id, updated_at FROM conversations "
                        + "WHERE user_id = :userId AND group_id = :groupId ORDER BY updated_at DESC, id DESC LIMIT 1")
                .bind("userId", scope.userId())
                .bind("groupId", scope.groupKey())
                .findOne(rs -> new ConversationCache.Latest(rs.getString("id"), rs.getLong("updated_at")))
                .orElse(ConversationCache.Latest.NONE)));
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
        return database.read(sql -> {
            Query count = userId == null && groupId == null
                    ? sql.query("SELECT total FROM conversation_total WHERE id = 1")
                    : sql.query("SELECT COUNT(*) FROM conversations" + where);
            long total = bind(count, userId, groupId).one(RowMapper.LONG);
            // An offset costs a walk over the rows it skips, so walk from whichever end is nearer: the
            // last pages of a million conversations are as cheap as the first.
            boolean fromEnd = offset > total / 2 && offset < total;
            long skip = fromEnd ? Math.max(0, total - offset - limit) : offset;
            long take = fromEnd ? Math.min(limit, total - offset) : limit;
            String order = fromEnd ? "ASC" : "DESC";
            // Deferred join: the offset is skipped inside an index that holds the ids (no table reads for
            // skipped rows), and only the page's rows are fetched.
            Query page = sql.query("SELECT " + QUALIFIED + " FROM conversations c JOIN (SELECT id FROM conversations"
                    + where + " ORDER BY updated_at " + order + ", id " + order + " LIMIT :limit OFFSET :offset) p ON p.id = c.id "
                    + "ORDER BY c.updated_at DESC, c.id DESC");
            List<Conversation> conversations = bind(page, userId, groupId).bind("limit", take).bind("offset", skip)
                    .list(ConversationRepository::map);
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

    /**
     * All messages, oldest first. A stored image appears as a URL source naming where the API serves it
     * ({@code /api/conversations/:id/images/:imageId}): its bytes are not read.
     */
    public List<StoredMessage> messages(String conversationId) {
        return database.read(sql -> sql.query("SELECT " + MessageRows.COLUMNS + " FROM messages "
                        + "WHERE conversation_id = :id ORDER BY seq")
                .bind("id", conversationId)
                .list(MessageRows.Row::of)).stream()
                .map(row -> row.decode(conversationId, (id, mimeType) -> new ImageSource.Url(imagePath(conversationId, id))))
                .toList();
    }

    /** Where the API serves a stored image of a conversation. */
    public static String imagePath(String conversationId, String imageId) {
        return "/api/conversations/" + conversationId + "/images/" + imageId;
    }

    /**
     * The newest messages, newest first: the history a turn may draw its context from, with the bytes of
     * their stored images loaded (a later turn sends them again, inline).
     */
    public List<StoredMessage> recentMessages(String conversationId, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return cache.recent(conversationId, limit, () -> database.read(sql -> {
            List<MessageRows.Row> rows = sql.query("SELECT " + MessageRows.COLUMNS + " "
                            + "FROM messages WHERE conversation_id = :id ORDER BY seq DESC LIMIT :limit")
                    .bind("id", conversationId)
                    .bind("limit", limit)
                    .list(MessageRows.Row::of);
            ConversationImages.Loader loader = new ConversationImages.Loader(sql);
            return new ConversationCache.Read(rows, rows.stream().map(row -> row.decode(conversationId, loader::resolve)).toList());
        }));
    }

    /** The conversation's images without their bytes, in message order. */
    public List<ConversationImages.Meta> images(String conversationId) {
        return database.read(sql -> ConversationImages.list(sql, conversationId));
    }

    /** The bytes of an image that a message of this conversation holds. */
    public Optional<ConversationImages.Bytes> image(String conversationId, String imageId) {
        return database.read(sql -> ConversationImages.bytes(sql, conversationId, imageId));
    }

    /** Keeps a caption written for a stored image that had none (a caption is never replaced). */
    public void saveCaption(String imageId, String caption) {
        database.update(sql -> sql.update("UPDATE images SET caption = :caption WHERE id = :id AND caption IS NULL")
                .bind("caption", caption).bind("id", imageId).execute());
    }

    /** The captions already written for these images (by content hash), whichever conversation they came with. */
    public java.util.Map<String, String> captions(List<String> imageIds) {
        return imageIds.isEmpty() ? java.util.Map.of() : database.read(sql -> ConversationImages.captions(sql, imageIds));
    }

    /** The stored result of an earlier turn with this requestId in this scope. */
    public Optional<StoredTurn> findTurn(Scope scope, String requestId) {
        return database.read(sql -> sql.query("SELECT conversation_id, response, model, prompt_tokens, "
                        + "completion_tokens, estimated FROM turn_requests "
                        + "WHERE user_id = :userId AND group_id = :groupId AND request_id = :requestId")
                .bind("userId", scope.userId())
                .bind("groupId", scope.groupKey())
                .bind("requestId", requestId)
                .findOne(rs -> new StoredTurn(rs.getString("conversation_id"), rs.getString("response"),
                        rs.getString("model"), new TokenUsage(rs.getInt("prompt_tokens"), rs.getInt("completion_tokens"),
                        rs.getBoolean("estimated")))));
    }

    /**
     * Writes a turn: both messages, the conversation's counters and the requestId, or nothing at all.
     *
     * @param fence runs first inside the transaction and may veto the commit (a lost lease)
     * @throws ApiException {@code CONVERSATION_NOT_FOUND} if the conversation was deleted meanwhile
     */
    public void commit(TurnCommit turn, Fence fence) {
        List<MessageRows.MessageRow> written = write(turn.conversationId(), turn.scope(), sql -> {
            fence.check(sql);
            refuseIfErased(sql, turn.requesterId(), turn.userAt());
            long nextSeq = nextSeq(sql, turn.conversationId(), turn.create(), turn.scope(), turn.presetId(), turn.userAt());
            var storedIds = ConversationImages.store(sql, turn.conversationId(), nextSeq, turn.images(),
                    MessageRows.imageSources(turn.user()), turn.userAt());
            List<MessageRows.MessageRow> rows = MessageRows.rows(turn, nextSeq, MessageRows.parts(turn.user(), storedIds::get));
            if (rows.size() == 2) {
                MessageRows.MessageRow user = rows.getFirst();
                MessageRows.MessageRow reply = rows.getLast();
                sql.update("INSERT INTO messages (conversation_id, seq, role, content, parts, tokens, created_at, user_id, user_name) "
                                + "VALUES (:id, :userSeq, 'user', :userContent, :userParts, :userTokens, :userAt, :speakerId, :speakerName), "
                                + "(:id, :replySeq, 'assistant', :replyContent, :replyParts, :replyTokens, :replyAt, NULL, NULL)")
                        .bind("id", turn.conversationId())
                        .bind("userSeq", user.seq()).bind("userContent", user.content()).bind("userParts", user.parts())
                        .bind("userTokens", user.tokens()).bind("userAt", user.createdAt())
                        .bind("speakerId", user.userId()).bind("speakerName", user.userName())
                        .bind("replySeq", reply.seq()).bind("replyContent", reply.content()).bind("replyParts", reply.parts())
                        .bind("replyTokens", reply.tokens()).bind("replyAt", reply.createdAt())
                        .execute();
            } else {
                sql.update("INSERT INTO messages (conversation_id, seq, role, content, parts, tokens, created_at, user_id, user_name) "
                                + "VALUES (:conversationId, :seq, :role, :content, :parts, :tokens, :createdAt, :userId, :userName)")
                        .executeBatch(rows);
            }
            // message_count counts what GET /api/conversations/:id shows by default: the question and the answer.
            sql.update("UPDATE conversations SET preset_id = :presetId, updated_at = :replyAt, "
                            + "message_count = message_count + 2, last_message = :lastMessage, next_seq = :nextSeq WHERE id = :id")
                    .bind("presetId", turn.presetId())
                    .bind("replyAt", turn.replyAt())
                    .bind("lastMessage", cut(turn.answer()))
                    .bind("nextSeq", rows.getLast().seq() + 1)
                    .bind("id", turn.conversationId())
                    .execute();
            if (turn.requestId() != null) {
                storeTurn(sql, turn);
            }
            return rows;
        });
        List<ChatMessage> messages = new ArrayList<>(turn.steps().size() + 2);
        messages.add(turn.user());
        messages.addAll(turn.steps());
        messages.add(turn.reply());
        boolean images = !turn.images().isEmpty() || Parts.anyImage(messages); // their bytes are read back, not kept
        cache.committed(turn.conversationId(), turn.scope(), turn.replyAt(),
                images ? null : MessageRows.asRead(written));
    }

    /**
     * Runs a write to conversation {@code id} (of {@code scope}, null when not known) in one transaction; if it
     * fails, what memory holds of the conversation is dropped, since it may have committed all the same (a
     * failed fsync).
     */
    private <R> R write(String id, Scope scope, Database.Work<R> work) {
        try {
            return database.write(work);
        } catch (RuntimeException | Error e) {
            cache.dropped(id, scope);
            throw e;
        }
    }

    /** A turn that began before its user's data was erased writes nothing: the erase must not be undone. */
    private void refuseIfErased(Sql sql, String userId, long since) {
        if (erasures.erasedSince(sql, userId, since)) {
            throw new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "This user's data was erased while the turn was running");
        }
    }

    /**
     * Checks, first thing in the commit's transaction, that the turn may still commit (a lease not
     * lost); it throws to veto. Its statements run in the commit's transaction.
     */
    @FunctionalInterface
    public interface Fence {
        void check(Sql transaction);
    }

    /** The conversation's next sequence number, creating the conversation if the turn may. */
    private static long nextSeq(Sql sql, String conversationId, boolean create, Scope scope, String presetId, long at) {
        Optional<Long> next = sql.query("SELECT next_seq FROM conversations WHERE id = :id")
                .bind("id", conversationId)
                .findOne(RowMapper.LONG);
        if (next.isPresent()) {
            return next.get();
        }
        if (!create) {
            throw new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "The conversation was deleted while this turn was running");
        }
        sql.update("INSERT INTO conversations (" + COLUMNS + ") VALUES (:id, :userId, :groupId, :presetId, :userAt, :userAt, 0, NULL, 0)")
                .bind("id", conversationId)
                .bind("userId", scope.userId())
                .bind("groupId", scope.groupKey())
                .bind("presetId", presetId)
                .bind("userAt", at)
                .execute();
        sql.update("UPDATE conversation_total SET total = total + 1 WHERE id = 1").execute();
        return 0;
    }

    /**
     * Writes an observed group message (recorded without a reply): the one message, the conversation's
     * counters and the requestId, or nothing at all. Refused like a turn's commit.
     */
    public void observe(Observation observed, Fence fence) {
        long seq = write(observed.conversationId(), observed.scope(), sql -> writeObservation(sql, observed, fence));
        cache.committed(observed.conversationId(), observed.scope(), observed.at(), List.of(new MessageRows.Row(seq, ChatMessage.Role.USER,
                observed.text(), null, observed.tokens(), observed.at(), observed.speaker())));
    }

    private long writeObservation(Sql sql, Observation observed, Fence fence) {
        fence.check(sql);
        refuseIfErased(sql, observed.speaker().userId(), observed.at());
        long seq = nextSeq(sql, observed.conversationId(), observed.create(), observed.scope(), observed.presetId(),
                observed.at());
        sql.update("INSERT INTO messages (conversation_id, seq, role, content, parts, tokens, created_at, user_id, user_name) "
                        + "VALUES (:id, :seq, 'user', :content, NULL, :tokens, :at, :speakerId, :speakerName)")
                .bind("id", observed.conversationId()).bind("seq", seq).bind("content", observed.text())
                .bind("tokens", observed.tokens()).bind("at", observed.at())
                .bind("speakerId", observed.speaker().userId()).bind("speakerName", observed.speaker().name())
                .execute();
        sql.update("UPDATE conversations SET updated_at = :at, message_count = message_count + 1, "
                        + "last_message = :lastMessage, next_seq = :nextSeq WHERE id = :id")
                .bind("at", observed.at()).bind("lastMessage", cut(observed.text())).bind("nextSeq", seq + 1)
                .bind("id", observed.conversationId())
                .execute();
        if (observed.requestId() != null) {
            // model NULL marks a stored observation: a retry answers "observed" again
            sql.update("INSERT INTO turn_requests (user_id, group_id, request_id, conversation_id, response, model, "
                            + "prompt_tokens, completion_tokens, estimated, created_at) VALUES (:userId, :groupId, "
                            + ":requestId, :conversationId, '', NULL, 0, 0, :estimated, :at) "
                            + "ON CONFLICT (user_id, group_id, request_id) DO NOTHING")
                    .bind("userId", observed.speaker().userId()).bind("groupId", observed.scope().groupKey())
                    .bind("requestId", observed.requestId()).bind("conversationId", observed.conversationId())
                    .bind("estimated", false).bind("at", observed.at())
                    .execute();
        }
        return seq;
    }

    /**
     * A group message the bot saw but was not asked to answer. Immutable.
     *
     * @param tokens its cost in a prompt, with its speaker's label
     */
    public record Observation(String conversationId, Scope scope, String presetId, boolean create, String text, int tokens,
                              long at, Speaker speaker, String requestId) { }

    private static void storeTurn(Sql sql, TurnCommit turn) {
        sql.update("INSERT INTO turn_requests (user_id, group_id, request_id, conversation_id, response, model, "
                        + "prompt_tokens, completion_tokens, estimated, created_at) VALUES (:userId, :groupId, :requestId, "
                        + ":conversationId, :response, :model, :promptTokens, :completionTokens, :estimated, :replyAt) "
                        + "ON CONFLICT (user_id, group_id, request_id) DO NOTHING")
                .bindFields(turn)
                .bind("response", turn.answer())
                .bind("userId", turn.requesterId())
                .bind("groupId", turn.scope().groupKey())
                .bind("promptTokens", turn.usage().promptTokens())
                .bind("completionTokens", turn.usage().completionTokens())
                .bind("estimated", turn.usage().estimated())
                .execute();
    }

    /** Removes the messages but keeps the conversation, its id and scope; false when it does not exist. */
    public boolean clear(String id, long now) {
        Optional<Scope> cleared = change(id, sql -> {
            List<String> images = ConversationImages.idsOf(sql, id);
            sql.update("DELETE FROM message_images WHERE conversation_id = :id").bind("id", id).execute();
            ConversationImages.removeUnused(sql, images);
            sql.update("DELETE FROM messages WHERE conversation_id = :id").bind("id", id).execute();
            sql.update("UPDATE conversations SET message_count = 0, last_message = NULL, updated_at = :now "
                    + "WHERE id = :id").bind("id", id).bind("now", now).execute();
        });
        cleared.ifPresent(scope -> cache.cleared(id, scope, now));
        return cleared.isPresent();
    }

    /** Deletes the conversation and, by cascade, its messages and stored turns; then the images no one else holds. */
    public boolean delete(String id) {
        Optional<Scope> deleted = change(id, sql -> {
            List<String> images = ConversationImages.idsOf(sql, id);
            sql.update("DELETE FROM conversations WHERE id = :id").bind("id", id).execute();
            ConversationImages.removeUnused(sql, images);
            sql.update("UPDATE conversation_total SET total = total - 1 WHERE id = 1").execute();
        });
        deleted.ifPresent(scope -> cache.dropped(id, scope));
        return deleted.isPresent();
    }

    /**
     * Runs {@code change} on an existing conversation in one transaction; the conversation's scope, or empty
     * (and nothing ran) when it does not exist.
     */
    private Optional<Scope> change(String id, Database.Action change) {
        return write(id, null, sql -> {
            Optional<Scope> scope = scopeOf(sql, id);
            if (scope.isPresent()) {
                change.run(sql);
            }
            return scope;
        });
    }

    /** The conversation's scope, read in the transaction that changes it (so no commit can slip in between). */
    private static Optional<Scope> scopeOf(Sql sql, String id) {
        return sql.query("SELECT user_id, group_id FROM conversations WHERE id = :id").bind("id", id)
                .findOne(rs -> Scope.fromStored(rs.getString("user_id"), rs.getString("group_id")));
    }

    /**
     * After a write that removed messages or conversations it cannot name one by one (an erasure, retention):
     * what this repository keeps in memory is read again.
     */
    public void forgetCached() {
        cache.forgetAll();
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
}
