package io.chatai.core.message;

/**
 * Token counts of one call. Immutable.
 *
 * @param estimated true when counted here with a tokenizer because the upstream reported nothing
 */
public record TokenUsage(int promptTokens, int completionTokens, boolean estimated) {
    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
