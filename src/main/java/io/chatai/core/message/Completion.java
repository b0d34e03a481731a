package io.chatai.core.message;

/**
 * A finished answer. Immutable.
 *
 * @param usage        as reported by the upstream, or null when it reported none
 * @param finishReason the provider's reason (e.g. "stop", "length"), or null
 */
public record Completion(String text, TokenUsage usage, String finishReason) {
}
