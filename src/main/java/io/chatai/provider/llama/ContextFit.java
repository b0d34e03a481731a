package io.chatai.provider.llama;

import io.chatai.core.message.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits a conversation into a local model's context, which is often smaller than a preset's token budget
 * (a preset counts OpenAI tokens; a small model has a context of a few thousand of its own): the oldest
 * whole turns of history go first, until the prompt leaves {@code reserve} tokens for the answer. The
 * system prompt and the new message are never dropped. Stateless.
 */
final class ContextFit {
    private ContextFit() {
    }

    /** The prompt of the newest history that fits; when even the system prompt and new message do not, that prompt. */
    static LlamaEngine.Prompt fit(LlamaEngine engine, List<ChatMessage> messages, int reserve) {
        List<ChatMessage> kept = new ArrayList<>(messages);
        int limit = engine.settings().contextSize() - reserve;
        while (true) {
            LlamaEngine.Prompt prompt = engine.prompt(kept);
            int oldest = oldestHistory(kept);
            if (prompt.tokens() <= limit || oldest < 0) {
                return prompt;
            }
            kept.remove(oldest);
            // A turn is a question and its answer: drop the answer with it, so roles still alternate.
            if (oldest < kept.size() - 1 && kept.get(oldest).role() == ChatMessage.Role.ASSISTANT) {
                kept.remove(oldest);
            }
        }
    }

    /** The index of the oldest message that is neither a system message nor the new (last) message, or -1. */
    private static int oldestHistory(List<ChatMessage> messages) {
        for (int i = 0; i < messages.size() - 1; i++) {
            if (messages.get(i).role() != ChatMessage.Role.SYSTEM) {
                return i;
            }
        }
        return -1;
    }
}
