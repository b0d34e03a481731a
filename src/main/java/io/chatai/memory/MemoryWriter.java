package io.chatai.memory;

import io.chatai.core.ApiException;
import io.chatai.core.Secrets;
import io.chatai.embedding.Embeddings;
import java.text.Normalizer;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Stores facts: refuses the sensitive ones, embeds each, and merges a fact into a stored one of the same
 * scope that says the same (the same normalized text, or cosine similarity of at least
 * {@value #SAME_MEANING}) instead of adding a copy. Thread-safe; two writers racing on one new fact may
 * both add it (extraction runs on one thread per instance, so only manual adds race).
 */
public final class MemoryWriter {
    /** all-MiniLM-L6-v2 puts rephrasings of one fact above 0.9 and related but different facts below it. */
    static final double SAME_MEANING = 0.9;
    /** A fact is a sentence or two; longer texts are not facts. */
    public static final int MAX_CHARS = 500;

    private final MemoryRepository memories;
    private final Embeddings embeddings;
    private final String embeddingModel;
    private final Clock clock;

    public MemoryWriter(MemoryRepository memories, Embeddings embeddings, String embeddingModel, Clock clock) {
        this.memories = memories;
        this.embeddings = embeddings;
        this.embeddingModel = embeddingModel;
        this.clock = clock;
    }

    /** What {@link #remember} did with a fact. */
    public enum Outcome { ADDED, MERGED, REFUSED }

    /**
     * Stores an extracted fact of a turn, or merges it into the one that says the same; nothing when the user's
     * data was erased after the turn began ({@code fence}).
     */
    public Outcome remember(MemoryScope scope, String fact, String conversationId, MemoryRepository.ErasureFence fence) {
        String text = fact.strip();
        if (text.isEmpty() || text.codePointCount(0, text.length()) > MAX_CHARS || SensitiveText.isSensitive(text)) {
            return Outcome.REFUSED;
        }
        String normalized = normalize(text);
        float[] vector = embed(text);
        Optional<String> same = memories.sameText(scope, embeddingModel, normalized)
                .or(() -> closeEnough(memories.closest(scope, embeddingModel, () -> vector, 1)));
        long now = clock.millis();
        if (same.isPresent() && memories.update(same.get(), text, normalized, vector, embeddingModel, conversationId, now, fence)) {
            return Outcome.MERGED;
        }
        return memories.insert(new Memory(newId(), scope.userId(), scope.groupId(), text, now, now, Memory.EXTRACTED,
                conversationId), normalized, vector, embeddingModel, fence) ? Outcome.ADDED : Outcome.REFUSED;
    }

    /** Adds a memory through the API; a sensitive text is refused with 400. */
    public Memory add(String userId, String groupId, String text) {
        String checked = check(text);
        long now = clock.millis();
        Memory memory = new Memory(newId(), userId, groupId, checked, now, now, Memory.MANUAL, null);
        memories.insert(memory, normalize(checked), embed(checked), embeddingModel);
        return memory;
    }

    /** Replaces a memory's text; false when it is gone. */
    public boolean edit(String id, String text) {
        String checked = check(text);
        return memories.update(id, checked, normalize(checked), embed(checked), embeddingModel, null, clock.millis());
    }

    private static String check(String text) {
        if (SensitiveText.isSensitive(text)) {
            throw ApiException.invalid("text looks like a secret or a sensitive number (a key, password, card, phone "
                    + "or ID number); memories never store those");
        }
        return text;
    }

    private float[] embed(String text) {
        return embeddings.embed(List.of(text))[0];
    }

    /** The closest memory when it says the same as the new fact. */
    static Optional<String> closeEnough(List<MemoryRecall.Scored> closest) {
        return closest.isEmpty() || closest.getFirst().score() < SAME_MEANING ? Optional.empty()
                : Optional.of(closest.getFirst().id());
    }

    /** Case, width, spacing and trailing punctuation do not make a different fact. */
    static String normalize(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replaceAll("\\s+", " ").strip();
        return folded.replaceAll("[\\p{Punct}\\p{IsPunctuation}\\s]+$", "");
    }

    private static String newId() {
        return Secrets.newToken("mem_", 24);
    }
}
