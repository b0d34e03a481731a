package io.chatai.memory;

import io.chatai.core.CallCancelledException;
import io.chatai.embedding.Embeddings;
import io.chatai.preset.MemorySettings;
import io.chatai.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the memories most relevant to a text by the cosine similarity of their embeddings (an exact scan of
 * one scope's stored vectors, by the repository's {@link MemoryRanker}), for a turn's system prompt and for the memories API's search.
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
    private final int headingTokens;

    public MemoryRecall(MemoryRepository memories, Embeddings embeddings, String embeddingModel, TokenCounter tokens) {
        this.memories = memories;
        this.embeddings = embeddings;
        this.embeddingModel = embeddingModel;
        this.tokens = tokens;
        this.headingTokens = tokens.count(HEADING);
    }

    /** A memory and how close it is to the text searched for (cosine, -1 to 1). */
    public record Scored(String id, double score) { }

    /**
     * The block of memories for a turn's system prompt ({@code ""} when there is none): the most relevant
     * first, as many whole memories as fit in the preset's {@code maxTokens}. Never fails the turn: a
     * memory that cannot be recalled costs only the memory.
     */
    public String forTurn(MemorySettings settings, String userId, String groupId, String message) {
        return recall(settings, userId, groupId, () -> embeddings.embed(List.of(message))[0]);
    }

    /**
     * Starts embedding a turn's message when its recall will need the vector (the scope has memories to rank
     * in the server), so the turn overlaps it with its own work; null when it will not, or cannot tell (with
     * pgvector the database checks), and {@link #forTurn(MemorySettings, String, String, String, Embeddings.Pending)}
     * then embeds only if it must.
     */
    public Embeddings.Pending prepare(MemorySettings settings, String userId, String groupId, String message) {
        try {
            MemoryScope scope = MemoryScope.of(settings.scope(), userId, groupId);
            return memories.scopeHasVectors(scope, embeddingModel) ? embeddings.start(message) : null;
        } catch (RuntimeException e) {
            return null; // the recall meets the same failure, and logs it
        }
    }

    /** {@link #forTurn} with the message's embedding started by {@link #prepare} (null: embedded here if needed). */
    public String forTurn(MemorySettings settings, String userId, String groupId, String message, Embeddings.Pending started) {
        return started == null ? forTurn(settings, userId, groupId, message) : recall(settings, userId, groupId, started::await);
    }

    /** {@link #forTurn} for a message already embedded (what the benchmark times apart from the embedding). */
    public String forTurn(MemorySettings settings, String userId, String groupId, float[] messageVector) {
        return recall(settings, userId, groupId, () -> messageVector);
    }

    private String recall(MemorySettings settings, String userId, String groupId, Supplier<float[]> message) {
        try {
            MemoryScope scope = MemoryScope.of(settings.scope(), userId, groupId);
            // An empty scope returns at once: the message is not even embedded.
            List<Scored> ranked = memories.closest(scope, embeddingModel, message, MAX_RECALLED);
            if (ranked.isEmpty()) {
                return "";
            }
            StringBuilder block = new StringBuilder(HEADING);
            int budget = settings.maxTokens() - headingTokens;
            int used = 0;
            for (Memory memory : memories.byIds(ranked.stream().map(Scored::id).toList())) {
                String line = "\n- " + memory.text();
                // Remembered: a conversation's turns recall much the same memories (0.2 ms a turn counted anew).
                int cost = tokens.countRepeated(line);
                if (used + cost > budget) {
                    break;
                }
                block.append(line);
                used += cost;
            }
            return used == 0 ? "" : block.toString();
        } catch (CallCancelledException e) {
            throw e; // the client left: the turn stops, it does not go on without its memories
        } catch (RuntimeException e) {
            LOG.warn("Memories not recalled for this turn: {}", e.toString());
            return "";
        }
    }

    /**
     * The {@code limit} memories of {@code set} closest to {@code query}, best first (ties: the smaller id): the
     * query made unit length once, then {@link #candidates} (the rows whose exact score may reach the best)
     * scored exactly by {@link VectorSet#dot} and kept in a heap of {@code limit} on primitive arrays. The result
     * is exactly {@link #rankExactly}'s: the int8 pass only skips rows proven unable to enter it.
     */
    static List<Scored> rank(VectorSet set, float[] query, int limit) {
        int n = set.size();
        if (limit <= 0 || n == 0 || query.length != set.dimensions()) {
            return List.of();
        }
        float[] unit = unit(query);
        return best(set, unit, Math.min(limit, n), candidates(set, unit, Math.min(limit, n)));
    }

    /** {@link #rank} over every row, without the int8 pass: the reference the tests compare it with. */
    static List<Scored> rankExactly(VectorSet set, float[] query, int limit) {
        int n = set.size();
        if (limit <= 0 || n == 0 || query.length != set.dimensions()) {
            return List.of();
        }
        return best(set, unit(query), Math.min(limit, n), null);
    }

    /**
     * Which rows may be among the {@code k} best for {@code unit} (null: all of them). From the int8 pass, each
     * row's exact score lies in [approximate − bound, approximate + bound]; the k-th largest lower end L is at
     * most the k-th best exact score (k rows reach at least L), so a row whose upper end is below L is beaten by
     * k rows whatever the ties, and is skipped.
     */
    static boolean[] candidates(VectorSet set, float[] unit, int k) {
        QuantizedRows quantized = set.quantized();
        double norm = 0;
        for (float value : unit) {
            norm += (double) value * value;
        }
        norm = Math.sqrt(norm) * (1 + 0x1p-20);
        if (quantized == null || !Double.isFinite(norm) || k * 4 > set.size()) {
            return null; // a small set, or one where no bound holds: every row is scored exactly
        }
        int n = set.size();
        float[] sums = new float[n];
        quantized.approximate(unit, sums);
        double[] lower = new double[k]; // a min-heap of the k largest lower ends; its root is L
        int size = 0;
        for (int row = 0; row < n; row++) {
            double low = (double) quantized.scale(row) * sums[row] - quantized.bound(row) * norm;
            if (size < k) {
                lower[size++] = low;
                siftUpLow(lower, size - 1);
            } else if (low > lower[0]) {
                lower[0] = low;
                siftDownLow(lower, size);
            }
        }
        if (!Double.isFinite(lower[0])) {
            return null;
        }
        boolean[] candidate = new boolean[n];
        for (int row = 0; row < n; row++) {
            candidate[row] = (double) quantized.scale(row) * sums[row] + quantized.bound(row) * norm >= lower[0];
        }
        return candidate;
    }

    private static void siftUpLow(double[] heap, int at) {
        while (at > 0 && heap[(at - 1) / 2] > heap[at]) {
            double value = heap[at];
            heap[at] = heap[(at - 1) / 2];
            heap[(at - 1) / 2] = value;
            at = (at - 1) / 2;
        }
    }

    private static void siftDownLow(double[] heap, int size) {
        int at = 0;
        while (true) {
            int least = at;
            for (int child = 2 * at + 1; child <= 2 * at + 2 && child < size; child++) {
                if (heap[child] < heap[least]) {
                    least = child;
                }
            }
            if (least == at) {
                return;
            }
            double value = heap[at];
            heap[at] = heap[least];
            heap[least] = value;
            at = least;
        }
    }

    /** The {@code k} best of the rows {@code candidate} allows (all when null), by exact score, best first. */
    private static List<Scored> best(VectorSet set, float[] unit, int k, boolean[] candidate) {
        int[] heapRows = new int[k]; // a min-heap by rank: the root is the worst of the best so far
        double[] heapScores = new double[k];
        int size = 0;
        for (int row = 0; row < set.size(); row++) {
            if (candidate != null && !candidate[row]) {
                continue;
            }
            double score = set.dot(row, unit);
            if (size < k) {
                heapRows[size] = row;
                heapScores[size] = score;
                siftUp(set, heapRows, heapScores, size++);
            } else if (better(set, score, row, heapScores[0], heapRows[0])) {
                heapRows[0] = row;
                heapScores[0] = score;
                siftDown(set, heapRows, heapScores, size);
            }
        }
        List<Scored> ranked = new ArrayList<>(size);
        while (size > 0) { // popping the worst first: fill from the end
            ranked.add(new Scored(set.id(heapRows[0]), heapScores[0]));
            size--;
            heapRows[0] = heapRows[size];
            heapScores[0] = heapScores[size];
            siftDown(set, heapRows, heapScores, size);
        }
        return ranked.reversed();
    }

    private static float[] unit(float[] vector) {
        double norm = 0;
        for (float value : vector) {
            norm += (double) value * value;
        }
        float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0;
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = vector[i] * scale;
        }
        return unit;
    }

    private static boolean better(VectorSet set, double score, int row, double otherScore, int otherRow) {
        return score > otherScore || score == otherScore && set.id(row).compareTo(set.id(otherRow)) < 0;
    }

    private static void siftUp(VectorSet set, int[] rows, double[] scores, int at) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (!better(set, scores[parent], rows[parent], scores[at], rows[at])) {
                return;
            }
            swap(rows, scores, at, parent);
            at = parent;
        }
    }

    private static void siftDown(VectorSet set, int[] rows, double[] scores, int size) {
        int at = 0;
        while (true) {
            int worst = at;
            for (int child = 2 * at + 1; child <= 2 * at + 2 && child < size; child++) {
                if (better(set, scores[worst], rows[worst], scores[child], rows[child])) {
                    worst = child;
                }
            }
            if (worst == at) {
                return;
            }
            swap(rows, scores, at, worst);
            at = worst;
        }
    }

    private static void swap(int[] rows, double[] scores, int a, int b) {
        int row = rows[a];
        rows[a] = rows[b];
        rows[b] = row;
        double score = scores[a];
        scores[a] = scores[b];
        scores[b] = score;
    }

    /** One page of a search, best first, and how many memories were ranked. */
    public record SearchPage(List<Scored> page, long total) { }

    /** The memories of a listing filter ranked by relevance to {@code q}. */
    public SearchPage search(String userId, String groupId, String q, int limit, int offset) {
        float[] query = embeddings.embed(List.of(q))[0];
        return memories.search(userId, groupId, embeddingModel, query, limit, offset);
    }
}
