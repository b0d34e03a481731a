package io.chatai.memory;

import io.chatai.core.Cancellation;
import io.chatai.embedding.Embeddings;
import io.chatai.preset.Preset;

/**
 * What a chat turn asks of long-term memory: the memories to add to its system prompt before the model is
 * called, and, once the turn is committed, its facts to extract (queued, never waited for). Both do nothing
 * for a preset without memory. Thread-safe.
 */
public final class TurnMemory {
    private final MemoryRecall recall;
    private final MemoryExtractor extractor;

    public TurnMemory(MemoryRecall recall, MemoryExtractor extractor) {
        this.recall = recall;
        this.extractor = extractor;
    }

    /**
     * Begins a turn's recall: when the preset remembers and the scope has memories, the message's embedding
     * starts now, on an inference thread, so it runs while the turn waits for its conversation and reads its
     * history. The client leaving cancels it; close the recall when the turn ends.
     */
    public Recall begin(Preset preset, String userId, String groupId, String message, Cancellation cancellation) {
        if (!preset.remembers()) {
            return new Recall(preset, userId, groupId, message, null, null);
        }
        Embeddings.Pending started = recall.prepare(preset.memory(), userId, groupId, message);
        if (started == null) {
            return new Recall(preset, userId, groupId, message, null, null);
        }
        Runnable cancel = started::cancel;
        cancellation.onCancel(cancel);
        return new Recall(preset, userId, groupId, message, started, () -> {
            cancellation.forget(cancel);
            started.cancel(); // read or not, nothing of it stays in the inference line
        });
    }

    /** One turn's recall, begun by {@link #begin}. Used by the turn's thread only. */
    public final class Recall implements AutoCloseable {
        private final Preset preset;
        private final String userId;
        private final String groupId;
        private final String message;
        private final Embeddings.Pending started;
        private final Runnable end;

        private Recall(Preset preset, String userId, String groupId, String message, Embeddings.Pending started, Runnable end) {
            this.preset = preset;
            this.userId = userId;
            this.groupId = groupId;
            this.message = message;
            this.started = started;
            this.end = end;
        }

        /** The system prompt with the scope's memories most relevant to the message after it, within budget. */
        public String systemPrompt(String system) {
            if (!preset.remembers()) {
                return system;
            }
            String block = recall.forTurn(preset.memory(), userId, groupId, message, started);
            if (block.isEmpty()) {
                return system;
            }
            return system.isEmpty() ? block : system + "\n\n" + block;
        }

        @Override
        public void close() {
            if (end != null) {
                end.run();
            }
        }
    }

    /** Queues a committed turn for extraction; returns at once. */
    public void committed(Preset preset, String turnModel, String keyId, String userId, String groupId, String userName,
                          String conversationId, String userText, String answerText, long startedAt) {
        if (!preset.remembers() || answerText == null) {
            return;
        }
        String model = preset.memory().extractModel() != null ? preset.memory().extractModel() : turnModel;
        String speaker = userName == null ? null : userName + " (" + userId + ")";
        extractor.offer(new MemoryExtractor.Turn(MemoryScope.of(preset.memory().scope(), userId, groupId), model, keyId,
                userId, groupId, conversationId, speaker, userText, answerText, startedAt));
    }
}
