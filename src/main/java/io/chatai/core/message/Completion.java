package io.chatai.core.message;

import java.util.List;

/**
 * A finished answer: the assistant message's parts in order, why it ended, and what it cost. Immutable.
 *
 * @param usage as reported by the upstream, or null when it reported none (the router fills it in)
 */
public record Completion(List<Part> content, FinishReason finishReason, TokenUsage usage) {
    public Completion {
        content = List.copyOf(content);
        finishReason = finishReason == null ? FinishReason.STOP : finishReason;
    }

    /** A text-only answer. */
    public static Completion ofText(String text, TokenUsage usage, FinishReason finishReason) {
        return new Completion(text.isEmpty() ? List.of() : List.of(new Part.Text(text)), finishReason, usage);
    }

    /** The answer's text parts joined. */
    public String text() {
        return Parts.text(content);
    }

    public List<Part.ToolCall> toolCalls() {
        return Parts.of(content, Part.ToolCall.class);
    }

    public String reasoningText() {
        return Parts.reasoningText(content);
    }

    /** The answer as the assistant message that continues the conversation. */
    public ChatMessage.Assistant message() {
        return new ChatMessage.Assistant(content);
    }

    public Completion withUsage(TokenUsage newUsage) {
        return new Completion(content, finishReason, newUsage);
    }
}
