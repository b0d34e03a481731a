package io.chatai.memory;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Ranks in the server: the scope's blobs are read and decoded once into a cached {@link VectorSet} (see
 * {@link MemoryRepository#scopeVectors}) and scanned with {@link MemoryRecall#rank}. The path on SQLite and on
 * a PostgreSQL without pgvector. Thread-safe.
 */
final class BlobRanker implements MemoryRanker {
    private final MemoryRepository memories;

    BlobRanker(MemoryRepository memories) {
        this.memories = memories;
    }

    @Override
    public String name() {
        return "blob";
    }

    @Override
    public List<MemoryRecall.Scored> closest(MemoryScope scope, String model, Supplier<float[]> query, int limit) {
        VectorSet candidates = memories.scopeVectors(scope, model);
        return candidates.size() == 0 ? List.of() : MemoryRecall.rank(candidates, query.get(), limit);
    }

    @Override
    public Optional<String> sameText(MemoryScope scope, String model, String normalized) {
        VectorSet candidates = memories.scopeVectors(scope, model);
        for (int row = 0; row < candidates.size(); row++) {
            if (candidates.normalized(row).equals(normalized)) {
                return Optional.of(candidates.id(row));
            }
        }
        return Optional.empty();
    }

    @Override
    public MemoryRecall.SearchPage search(String userId, String groupId, String model, float[] query, int limit, int offset) {
        VectorSet candidates = memories.vectors(userId, groupId, model);
        List<MemoryRecall.Scored> ranked = MemoryRecall.rank(candidates, query, (int) Math.min(Integer.MAX_VALUE, (long) offset + limit));
        return new MemoryRecall.SearchPage(ranked.subList(Math.min(offset, ranked.size()), ranked.size()), candidates.size());
    }
}
