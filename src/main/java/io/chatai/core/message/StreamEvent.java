package io.chatai.core.message;

/**
 * What a streaming provider call yields, in order: deltas of the answer's parts, then one {@link Done}.
 * Each delta names the index of the part it belongs to ({@code part}): indexes grow in the order parts
 * first appear, a part's deltas are contiguous or interleaved, and a new index means a new part (so an
 * Anthropic front can open and close content blocks, and an OpenAI front can number tool calls).
 */
public sealed interface StreamEvent {

    /** A piece of answer text, forwarded to the client as soon as it arrives. */
    record TextDelta(int part, String text) implements StreamEvent {
    }

    /**
     * A piece of reasoning: text, and opaque state that usually arrives last (Anthropic's {@code signature_delta}).
     * Any of text, signature and redacted may be null.
     */
    record ReasoningDelta(int part, String text, String signature, String redacted, String origin) implements StreamEvent {
    }

    /** A piece of a tool call: id and name come with the part's first delta, the arguments in fragments. */
    record ToolCallDelta(int part, String id, String name, String arguments, String signature) implements StreamEvent {
    }

    /**
     * The provider's end marker arrived (or the stream closed cleanly after a finish reason).
     *
     * @param usage as reported by the upstream, or null when it reported none
     */
    record Done(TokenUsage usage, FinishReason finishReason) implements StreamEvent {
    }
}
