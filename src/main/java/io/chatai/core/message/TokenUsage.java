package io.chatai.core.message;

/**
 * Token counts of one call. Immutable.
 *
 * @param promptTokens        every input token, cached ones included
 * @param cachedPromptTokens  input tokens read from the provider's prompt cache (part of {@code promptTokens})
 * @param cacheCreationTokens input tokens written to Anthropic's prompt cache (part of {@code promptTokens})
 * @param reasoningTokens     output tokens spent thinking (part of {@code completionTokens})
 * @param estimated           true when counted here with a tokenizer because the upstream reported nothing
 */
public record TokenUsage(int promptTokens, int completionTokens, int cachedPromptTokens, int cacheCreationTokens,
                         int reasoningTokens, boolean estimated) {

    /** Plain counts, without cache or reasoning details. */
    public TokenUsage(int promptTokens, int completionTokens, boolean estimated) {
        this(promptTokens, completionTokens, 0, 0, 0, estimated);
    }

    public int totalTokens() {
        return promptTokens + completionTokens;
    }

    /** The counts of two calls together (the rounds of one tool turn); estimated when either was. */
    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                cachedPromptTokens + other.cachedPromptTokens, cacheCreationTokens + other.cacheCreationTokens,
                reasoningTokens + other.reasoningTokens, estimated || other.estimated);
    }
}
