package io.chatai.memory;

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

    /** The system prompt with the scope's memories most relevant to {@code message} after it, within budget. */
    public String systemPrompt(Preset preset, String system, String userId, String groupId, String message) {
        if (!preset.remembers()) {
            return system;
        }
        String block = recall.forTurn(preset.memory(), userId, groupId, message);
        if (block.isEmpty()) {
            return system;
        }
        return system.isEmpty() ? block : system + "\n\n" + block;
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
