package io.chatai.memory;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Ranks stored memories by the cosine of their embeddings to a query vector, newest {@value
 * MemoryRepository#MAX_SCAN} of a filter at most, best first and ties by the smaller id: in the server over
 * the blobs ({@link BlobRanker}) or inside PostgreSQL with pgvector ({@link PgvectorRanker}). One is chosen
 * when the repository starts; both give the same results. Implementations are thread-safe.
 */
sealed interface MemoryRanker permits BlobRanker, PgvectorRanker {

    /** Which ranker this is, as the start-up log and the tests name it. */
    String name();

    /**
     * The {@code limit} memories of exactly one scope closest to the query; the query is only computed when
     * the scope has memories of {@code model} (an empty scope costs no embedding).
     */
    List<MemoryRecall.Scored> closest(MemoryScope scope, String model, Supplier<float[]> query, int limit);

    /** The newest memory of the scope whose normalized text is exactly this. */
    Optional<String> sameText(MemoryScope scope, String model, String normalized);

    /** One page of a listing filter (a null user or group matches all) ranked by the query, and how many were ranked. */
    MemoryRecall.SearchPage search(String userId, String groupId, String model, float[] query, int limit, int offset);
}
