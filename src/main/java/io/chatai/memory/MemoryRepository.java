package io.chatai.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chatai.conversation.UserErasures;
import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import io.chatai.store.Sql;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Stores memories with their embeddings (float32 little-endian bytes) on plain JDBC, the same SQL on SQLite
 * and PostgreSQL; ranks them with the {@link MemoryRanker} chosen at start (pgvector where the server has it,
 * with the embedding also in a {@code vector} column, else the blobs in the server). Users and groups are {@code ''} in the table where absent, {@code null} outside it. The
 * decoded vectors of the scopes turns ask for are cached (bounded by their bytes), since reading and
 * decoding a scope's blobs costs far more than ranking them; this instance's writes invalidate a scope at
 * once, other instances' within {@link #VECTORS_TTL}. Thread-safe.
 */
public final class MemoryRepository {
    private static final String COLUMNS = "id, user_id, group_id, text, created_at, updated_at, source, conversation_id";
    /** The newest rows of one filter that a relevance scan reads at most, so a huge scope costs a bounded read. */
    static final int MAX_SCAN = 20_000;

    /** How long another instance's change to a scope may go unseen by this one's recall. */
    static final Duration VECTORS_TTL = Duration.ofSeconds(30);
    /** 64 MB of vectors (float rows and their int8 copy): some 32,000 memories of 384 dimensions, all scopes. */
    private static final long MAX_CACHED_BYTES = 64L << 20;

    private final Database database;
    private final UserErasures erasures;
    private final Cache<String, VectorSet> vectors;
    private final MemoryRanker ranker;

    /** A repository that ranks with pgvector where the PostgreSQL server has it and lets it be enabled. */
    public MemoryRepository(Database database) {
        this(database, true);
    }

    /** {@code allowPgvector} false keeps the blob path even where pgvector is there (the benchmark compares both). */
    public MemoryRepository(Database database, boolean allowPgvector) {
        this.database = database;
        this.erasures = new UserErasures(database);
        this.vectors = Caffeine.newBuilder()
                .maximumWeight(MAX_CACHED_BYTES)
                .weigher((String key, VectorSet set) -> (int) Math.min(Integer.MAX_VALUE, set.weight()))
                .expireAfterWrite(VECTORS_TTL)
                .build();
        this.ranker = PgvectorRanker.choose(database, this, allowPgvector);
    }

    /** The ranker chosen at start: {@code "pgvector"} or {@code "blob"}. */
    public String ranker() {
        return ranker.name();
    }

    /** With pgvector, the embedding is written twice: as the blob (the portable copy) and as the vector column. */
    private boolean withVectorColumn() {
        return ranker instanceof PgvectorRanker;
    }

    /** Binds {@code :vector} where the statement has the vector column. */
    private io.chatai.store.Update withVector(io.chatai.store.Update statement, float[] vector) {
        return withVectorColumn() ? statement.bind("vector", PgvectorRanker.text(vector)) : statement;
    }

    /** A scope's cache entries start with this (user and group ids never hold U+0000); the model follows. */
    private static String cacheKey(String userKey, String groupKey) {
        return userKey + '\u0000' + groupKey + '\u0000';
    }

    private void invalidate(String scopeKey) {
        vectors.asMap().keySet().removeIf(key -> key.startsWith(scopeKey));
    }

    /** Forgets the cached vectors of the scope a memory belongs to (before and after a write to it). */
    private void forgetScopeOf(String id) {
        database.read(sql -> sql.query("SELECT user_id, group_id FROM memories WHERE id = :id").bind("id", id)
                .findOne(rs -> cacheKey(rs.getString("user_id"), rs.getString("group_id")))).ifPresent(this::invalidate);
    }

    /** One page of a listing and the number of all matches. */
    public record Page(List<Memory> memories, long total) { }

    public void insert(Memory memory, String normalized, float[] vector, String model) {
        insert(memory, normalized, vector, model, null);
    }

    /**
     * Inserts a memory unless {@code fence} says its user's data was erased since the work that found it began;
     * false when it did not insert.
     */
    public boolean insert(Memory memory, String normalized, float[] vector, String model, ErasureFence fence) {
        invalidate(cacheKey(key(memory.userId()), key(memory.groupId())));
        boolean inserted = database.write(sql -> {
            if (fence != null && erasures.erasedSince(sql, fence.userId(), fence.since())) {
                return false;
            }
            withVector(sql.update("INSERT INTO memories (id, user_id, group_id, text, normalized, embedding, "
                        + "embedding_model, source, conversation_id, created_at, updated_at"
                        + (withVectorColumn() ? ", embedding_vector" : "") + ") VALUES (:id, :user, :group, "
                        + ":text, :normalized, :embedding, :model, :source, :conversationId, :createdAt, :updatedAt"
                        + (withVectorColumn() ? ", CAST(:vector AS vector)" : "") + ")"), vector)
                .bindFields(memory)
                .bind("user", key(memory.userId())).bind("group", key(memory.groupId()))
                .bind("normalized", normalized).bind("embedding", bytes(vector)).bind("model", model)
                .execute();
            return true;
        });
        invalidate(cacheKey(key(memory.userId()), key(memory.groupId())));
        return inserted;
    }

    /** A write on behalf of work for {@code userId} that began at {@code since} (a turn being extracted). */
    public record ErasureFence(String userId, long since) { }

    /** Replaces a memory's text and vector; false when it is gone. */
    public boolean update(String id, String text, String normalized, float[] vector, String model, String conversationId,
                          long now) {
        return update(id, text, normalized, vector, model, conversationId, now, null);
    }

    /** {@link #update}, unless {@code fence} says its user's data was erased since the work began. */
    public boolean update(String id, String text, String normalized, float[] vector, String model, String conversationId,
                          long now, ErasureFence fence) {
        forgetScopeOf(id);
        boolean updated = database.write(sql -> fence != null && erasures.erasedSince(sql, fence.userId(), fence.since())
                ? false : withVector(sql.update("UPDATE memories SET text = :text, normalized = :normalized, "
                        + "embedding = :embedding, embedding_model = :model, updated_at = :now, "
                        + (withVectorColumn() ? "embedding_vector = CAST(:vector AS vector), " : "")
                        + "conversation_id = COALESCE(:conversationId, conversation_id) WHERE id = :id"), vector)
                .bind("id", id).bind("text", text).bind("normalized", normalized).bind("embedding", bytes(vector))
                .bind("model", model).bind("conversationId", conversationId).bind("now", now)
                .execute() == 1);
        forgetScopeOf(id);
        return updated;
    }

    public boolean delete(String id) {
        forgetScopeOf(id);
        return database.write(sql -> sql.update("DELETE FROM memories WHERE id = :id").bind("id", id).execute() == 1);
    }

    public Optional<Memory> find(String id) {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM memories WHERE id = :id")
                .bind("id", id).findOne(MemoryRepository::map));
    }

    /** Newest first; a null filter matches everything. */
    public Page list(String userId, String groupId, int limit, int offset) {
        String where = where(userId, groupId);
        return database.read(sql -> {
            long total = filtered(sql.query("SELECT COUNT(*) FROM memories" + where), userId, groupId).one(RowMapper.LONG);
            List<Memory> page = filtered(sql.query("SELECT " + COLUMNS + " FROM memories" + where
                    + " ORDER BY updated_at DESC, id DESC LIMIT :limit OFFSET :offset"), userId, groupId)
                    .bind("limit", limit).bind("offset", offset).list(MemoryRepository::map);
            return new Page(page, total);
        });
    }

    /** The {@code limit} memories of one scope closest to the query (computed only when the scope has any), best first. */
    public List<MemoryRecall.Scored> closest(MemoryScope scope, String model, Supplier<float[]> query, int limit) {
        return ranker.closest(scope, model, query, limit);
    }

    /** The newest memory of the scope with exactly this normalized text. */
    public Optional<String> sameText(MemoryScope scope, String model, String normalized) {
        return ranker.sameText(scope, model, normalized);
    }

    /** One page of a listing filter ranked by relevance to the query, and how many were ranked. */
    public MemoryRecall.SearchPage search(String userId, String groupId, String model, float[] query, int limit, int offset) {
        return ranker.search(userId, groupId, model, query, limit, offset);
    }

    /** The vectors of the newest {@value #MAX_SCAN} memories of a filter made by {@code model}, for ranking. */
    VectorSet vectors(String userId, String groupId, String model) {
        String where = where(userId, groupId);
        return database.read(sql -> collect(filtered(sql.query("SELECT id, normalized, embedding FROM memories" + where
                + " AND embedding_model = :model ORDER BY updated_at DESC, id DESC LIMIT :limit"), userId, groupId)
                .bind("model", model).bind("limit", MAX_SCAN)));
    }

    /**
     * The vectors of exactly one scope (a group's shared memories are not its members'), newest first, from
     * the cache when this instance has read them within {@link #VECTORS_TTL} and not written the scope since.
     */
    VectorSet scopeVectors(MemoryScope scope, String model) {
        return vectors.get(cacheKey(scope.userKey(), scope.groupKey()) + model, key -> database.read(sql -> collect(sql.query(
                        "SELECT id, normalized, embedding FROM memories WHERE user_id = :user AND group_id = :group "
                        + "AND embedding_model = :model ORDER BY updated_at DESC, id DESC LIMIT :limit")
                .bind("user", scope.userKey()).bind("group", scope.groupKey()).bind("model", model).bind("limit", MAX_SCAN))));
    }

    /**
     * Whether a turn's recall in this scope will rank vectors in the server: the blob path with vectors of
     * {@code model} in the scope (read and cached now if need be). False with pgvector, whose query checks.
     */
    boolean scopeHasVectors(MemoryScope scope, String model) {
        return ranker instanceof BlobRanker && scopeVectors(scope, model).size() > 0;
    }

    private static VectorSet collect(io.chatai.store.Query query) {
        VectorSet.Builder set = new VectorSet.Builder();
        query.list(rs -> set.add(rs.getString("id"), rs.getString("normalized"), floats(rs.getBytes("embedding"))));
        return set.build();
    }

    /** The memories of these ids, in the order given (ids that are gone are left out). */
    public List<Memory> byIds(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            names.add(":id" + i);
        }
        Map<String, Memory> found = database.read(sql -> {
            var query = sql.query("SELECT " + COLUMNS + " FROM memories WHERE id IN (" + String.join(", ", names) + ")");
            for (int i = 0; i < ids.size(); i++) {
                query.bind("id" + i, ids.get(i));
            }
            return query.list(MemoryRepository::map);
        }).stream().collect(Collectors.toMap(Memory::id, Function.identity()));
        return ids.stream().filter(found::containsKey).map(found::get).toList();
    }

    /** Every memory of one user (their own and per group; a group's shared memories are not theirs). */
    public List<Memory> ofUser(Sql sql, String userId) {
        return sql.query("SELECT " + COLUMNS + " FROM memories WHERE user_id = :user ORDER BY created_at, id")
                .bind("user", userId).list(MemoryRepository::map);
    }

    /** Deletes every memory of one user inside the caller's transaction; the count deleted. */
    public int deleteUser(Sql sql, String userId) {
        vectors.invalidateAll(); // a user's scopes are theirs alone and in every group: rare enough to forget all
        return sql.update("DELETE FROM memories WHERE user_id = :user").bind("user", userId).execute();
    }

    static String where(String userId, String groupId) {
        return " WHERE 1 = 1" + (userId == null ? "" : " AND user_id = :user") + (groupId == null ? "" : " AND group_id = :group");
    }

    static <S extends io.chatai.store.SqlStatement<S>> S filtered(S statement, String userId, String groupId) {
        if (userId != null) {
            statement.bind("user", userId);
        }
        if (groupId != null) {
            statement.bind("group", groupId);
        }
        return statement;
    }

    private static String key(String id) {
        return id == null ? "" : id;
    }

    private static String orNull(String key) {
        return key == null || key.isEmpty() ? null : key;
    }

    static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] floats(byte[] bytes) {
        if (bytes == null) {
            return new float[0];
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    private static Memory map(ResultSet rs) throws SQLException {
        return new Memory(rs.getString("id"), orNull(rs.getString("user_id")), orNull(rs.getString("group_id")),
                rs.getString("text"), rs.getLong("created_at"), rs.getLong("updated_at"), rs.getString("source"),
                rs.getString("conversation_id"));
    }
}
