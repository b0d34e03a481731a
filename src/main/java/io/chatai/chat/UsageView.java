package io.chatai.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.chatai.core.message.TokenUsage;

/**
 * {@code usage} as the Chat API shows it; {@code reasoningTokens} (part of {@code completionTokens}) appears
 * when the model spent any, {@code estimated} only when true. Immutable.
 */
public record UsageView(int promptTokens, int completionTokens, int totalTokens,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int reasoningTokens,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean estimated) {
    public static UsageView of(TokenUsage usage) {
        return new UsageView(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(), usage.reasoningTokens(),
                usage.estimated());
    }
}
