package io.chatai.memory;

import io.chatai.embedding.Embeddings;
import io.chatai.preset.MemorySettings;
import io.chatai.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the memories most relevant to a text by the cosine similarity of their embeddings (a brute-force
 * scan of one scope's stored vectors), for a turn's system prompt and for the memories API's search.
 * Thread-safe.
 */
public final class MemoryRecall {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryRecall.class);
    /** A turn carries at most this many memories, whatever its token budget. */
    static final int MAX_RECALLED = 20;
    static final String HEADING = "What you remember about the people in this chat from earlier conversations "
            + "(most relevant first; it may be out of date):";

    private final MemoryRepository memories;
    private final Embeddings embeddings;
    private final String embeddingModel;
    private final TokenCounter tokens;

    public MemoryRecall(MemoryRepository memories, Embeddings embeddings, String embeddingModel, TokenCounter tokens) {
        this.memories = memories;
        this.embeddings = embeddings;
        this.embeddingModel = embeddingModel;
        this.tokens = tokens;
    }

    /** A memory and how close it is to the text searched for (cosine, -1 to 1). */
    public record Scored(String id, double score) { }

    /**
     * The block of memories for a turn's system prompt ({@code ""} when there is none): the most relevant
     * first, as many whole memories as fit in the preset's {@code maxTokens}. Never fails the turn: a
     * memory that cannot be recalled costs only the memory.
     */
    public String forTurn(MemorySettings settings, String userId, String groupId, String message) {
        try {
            MemoryScope scope = MemoryScope.of(settings.scope(), userId, groupId);
            List<MemoryRepository.Candidate> candidates = memories.scopeCandidates(scope, embeddingModel);
            if (candidates.isEmpty()) {
                return ""; // nothing to rank: the message is not even embedded
            }
            List<Scored> ranked = rank(candidates, embeddings.embed(List.of(message))[0], MAX_RECALLED);
            StringBuilder block = new StringBuilder(HEADING);
            int budget = settings.maxTokens() - tokens.count(HEADING);
            int used = 0;
            for (Memory memory : memories.byIds(ranked.stream().map(Scored::id).toList())) {
                String line = "\n- " + memory.text();
                int cost = tokens.count(line);
                if (used + cost > budget) {
                    break;
                }
                block.append(line);
                used += cost;
            }
            return used == 0 ? "" : block.toString();
        } catch (RuntimeException e) {
            LOG.warn("Memories not recalled for this turn: {}", e.toString());
            return "";
        }
    }

    /** The ids of the {@code limit} memories among {@code candidates} closest to {@code query}, best first. */
    static List<Scored> rank(List<MemoryRepository.Candidate> candidates, float[] query, int limit) {
        List<Scored> scored = new ArrayList<>(candidates.size());
        for (MemoryRepository.Candidate candidate : candidates) {
            if (candidate.vector().length == query.length) {
                scored.add(new Scored(candidate.id(), Embeddings.cosine(query, candidate.vector())));
            }
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id));
        return scored.subList(0, Math.min(limit, scored.size()));
    }

    /** One page of a search, best first, and how many memories were ranked. */
    public record SearchPage(List<Scored> page, long total) { }

    /** The memories of a listing filter ranked by relevance to {@code q}. */
    public SearchPage search(String userId, String groupId, String q, int limit, int offset) {
        float[] query = embeddings.embed(List.of(q))[0];
        List<MemoryRepository.Candidate> candidates = memories.candidates(userId, groupId, embeddingModel);
        List<Scored> ranked = rank(candidates, query, (int) Math.min(Integer.MAX_VALUE, (long) offset + limit));
        return new SearchPage(ranked.subList(Math.min(offset, ranked.size()), ranked.size()), candidates.size());
    }
}
