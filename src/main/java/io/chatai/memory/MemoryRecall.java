package io.chatai.memory;

import io.chatai.embedding.Embeddings;
import io.chatai.preset.MemorySettings;
import io.chatai.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
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

    /**
     * The ids of the {@code limit} memories among {@code candidates} closest to {@code query}, best first: one
     * pass with a heap of {@code limit}, the query's norm computed once (the candidates' are stored unit length).
     */
    static List<Scored> rank(List<MemoryRepository.Candidate> candidates, float[] query, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        double norm = 0;
        for (float value : query) {
            norm += (double) value * value;
        }
        double queryNorm = Math.sqrt(norm);
        Comparator<Scored> order = Comparator.comparingDouble(Scored::score).thenComparing(Scored::id, Comparator.reverseOrder());
        PriorityQueue<Scored> best = new PriorityQueue<>(Math.min(limit, Math.max(1, candidates.size())) + 1, order);
        for (MemoryRepository.Candidate candidate : candidates) {
            float[] vector = candidate.vector();
            if (vector.length != query.length) {
                continue;
            }
            double dot = 0;
            for (int i = 0; i < vector.length; i++) {
                dot += vector[i] * query[i];
            }
            Scored scored = new Scored(candidate.id(), queryNorm == 0 ? 0 : dot / queryNorm);
            if (best.size() < limit) {
                best.add(scored);
            } else if (order.compare(scored, best.peek()) > 0) {
                best.poll();
                best.add(scored);
            }
        }
        List<Scored> ranked = new ArrayList<>(best);
        ranked.sort(order.reversed());
        return ranked;
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
