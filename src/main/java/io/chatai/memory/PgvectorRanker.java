package io.chatai.memory;

import io.chatai.store.Database;
import io.chatai.store.Dialect;
import io.chatai.store.RowMapper;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ranks inside PostgreSQL with pgvector: {@code memories.embedding_vector} (a {@code vector} of any length,
 * since the embedding model is configurable) holds each memory's embedding beside its blob, and a scope is
 * ranked by {@code embedding_vector <=> :query} over its newest {@value MemoryRepository#MAX_SCAN} rows, an
 * exact scan (no HNSW index: at the 10,000 memories of one scope it is a few milliseconds, and an approximate
 * index would make the results differ from the blob path's). No vector reaches the JVM. Thread-safe.
 */
final class PgvectorRanker implements MemoryRanker {
    private static final Logger LOG = LoggerFactory.getLogger(PgvectorRanker.class);
    /** Rows converted per transaction when filling the column for memories stored before it existed. */
    private static final int BACKFILL_BATCH = 500;

    private final Database database;

    private PgvectorRanker(Database database) {
        this.database = database;
    }

    /**
     * pgvector where the server has it and this user may enable it (or it already is), else the blobs; logs
     * one line saying which and why.
     */
    static MemoryRanker choose(Database database, MemoryRepository memories, boolean allowPgvector) {
        String why;
        if (!allowPgvector) {
            why = "pgvector not wanted by the caller";
        } else if (database.dialect() != Dialect.POSTGRESQL) {
            why = "the database is SQLite";
        } else if (database.read(sql -> sql.query("SELECT COUNT(*) FROM pg_available_extensions WHERE name = 'vector'")
                .one(RowMapper.LONG)) == 0) {
            why = "this PostgreSQL server has no pgvector extension (pg_available_extensions has no 'vector')";
        } else {
            try {
                database.update(sql -> {
                    sql.update("CREATE EXTENSION IF NOT EXISTS vector").execute();
                    sql.update("ALTER TABLE memories ADD COLUMN IF NOT EXISTS embedding_vector vector").execute();
                });
                int filled = backfill(database);
                LOG.info("Memories are ranked inside PostgreSQL with pgvector (the vector extension is enabled{})",
                        filled == 0 ? "" : "; " + filled + " stored memories given their vector column");
                return new PgvectorRanker(database);
            } catch (RuntimeException e) {
                // Typically "permission denied to create extension": pgvector is not a trusted extension.
                why = "pgvector is installed but could not be enabled (" + e.getMessage() + ")";
            }
        }
        LOG.info("Memories are ranked in the server over their stored blobs: {}", why);
        return new BlobRanker(memories);
    }

    /** Gives the rows stored without a vector (before pgvector, or by an instance on the blob path) their vector. */
    private static int backfill(Database database) {
        int total = 0;
        while (true) {
            int filled = database.write(sql -> {
                List<Object[]> rows = sql.query("SELECT id, embedding FROM memories WHERE embedding_vector IS NULL "
                        + "AND length(embedding) >= 4 LIMIT :batch").bind("batch", BACKFILL_BATCH)
                        .list(rs -> new Object[] {rs.getString("id"), rs.getBytes("embedding")});
                for (Object[] row : rows) {
                    sql.update("UPDATE memories SET embedding_vector = CAST(:vector AS vector) WHERE id = :id")
                            .bind("id", row[0]).bind("vector", text(MemoryRepository.floats((byte[]) row[1]))).execute();
                }
                return rows.size();
            });
            total += filled;
            if (filled < BACKFILL_BATCH) {
                return total;
            }
        }
    }

    /** pgvector's text form of a vector, {@code [1.5,-2.0E-4,...]}. */
    static String text(float[] vector) {
        StringBuilder text = new StringBuilder(vector.length * 12).append('[');
        for (int i = 0; i < vector.length; i++) {
            text.append(i == 0 ? "" : ",").append(vector[i]);
        }
        return text.append(']').toString();
    }

    @Override
    public String name() {
        return "pgvector";
    }

    @Override
    public List<MemoryRecall.Scored> closest(MemoryScope scope, String model, Supplier<float[]> query, int limit) {
        String inScope = " WHERE user_id = :user AND group_id = :group AND embedding_model = :model";
        boolean any = database.read(sql -> sql.query("SELECT EXISTS (SELECT 1 FROM memories" + inScope
                        + " AND embedding_vector IS NOT NULL)")
                .bind("user", scope.userKey()).bind("group", scope.groupKey()).bind("model", model)
                .one(rs -> rs.getBoolean(1)));
        if (!any || limit <= 0) {
            return List.of();
        }
        float[] vector = query.get();
        return database.read(sql -> sql.query(ranked(inScope, " LIMIT :limit"))
                .bind("user", scope.userKey()).bind("group", scope.groupKey()).bind("model", model)
                .bind("query", text(vector)).bind("dimensions", vector.length).bind("scan", MemoryRepository.MAX_SCAN)
                .bind("limit", limit).list(PgvectorRanker::scored));
    }

    /**
     * Ranks the newest {@code :scan} rows of a filter by their exact distances (ties by id in code-point order,
     * as Java's {@code compareTo} orders them). The distance is computed before the newest are picked so that
     * sort carries narrow rows: carrying the 1.5 kB vectors made it spill to disk and took 10 times longer.
     */
    private static String ranked(String where, String page) {
        // The query's cast in a subquery: run once, where a generic plan would parse the text again for every row.
        return "SELECT id, distance FROM (SELECT id, embedding_vector <=> (SELECT CAST(:query AS vector)) AS distance "
                + "FROM memories" + where + " AND embedding_vector IS NOT NULL AND vector_dims(embedding_vector) = :dimensions "
                + "ORDER BY updated_at DESC, id DESC LIMIT :scan) newest ORDER BY distance, id COLLATE \"C\"" + page;
    }

    private static MemoryRecall.Scored scored(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new MemoryRecall.Scored(rs.getString("id"), 1 - rs.getDouble("distance"));
    }

    @Override
    public Optional<String> sameText(MemoryScope scope, String model, String normalized) {
        return database.read(sql -> sql.query("SELECT id FROM memories WHERE user_id = :user AND group_id = :group "
                        + "AND embedding_model = :model AND normalized = :normalized ORDER BY updated_at DESC, id DESC LIMIT 1")
                .bind("user", scope.userKey()).bind("group", scope.groupKey()).bind("model", model)
                .bind("normalized", normalized).findOne(rs -> rs.getString("id")));
    }

    @Override
    public MemoryRecall.SearchPage search(String userId, String groupId, String model, float[] query, int limit, int offset) {
        String where = MemoryRepository.where(userId, groupId) + " AND embedding_model = :model";
        return database.read(sql -> {
            long total = MemoryRepository.filtered(sql.query("SELECT COUNT(*) FROM (SELECT 1 FROM memories" + where
                    + " AND embedding_vector IS NOT NULL AND vector_dims(embedding_vector) = :dimensions LIMIT :scan) newest"),
                    userId, groupId).bind("model", model).bind("dimensions", query.length)
                    .bind("scan", MemoryRepository.MAX_SCAN).one(RowMapper.LONG);
            List<MemoryRecall.Scored> page = MemoryRepository.filtered(sql.query(ranked(where, " LIMIT :limit OFFSET :offset")),
                    userId, groupId).bind("model", model).bind("query", text(query)).bind("dimensions", query.length)
                    .bind("scan", MemoryRepository.MAX_SCAN).bind("limit", limit).bind("offset", offset)
                    .list(PgvectorRanker::scored);
            return new MemoryRecall.SearchPage(page, total);
        });
    }
}
