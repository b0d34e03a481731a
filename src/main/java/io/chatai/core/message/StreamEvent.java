package io.chatai.core.message;

/** What a streaming provider call yields, in order: any number of {@link Delta}s, then one {@link Done}. */
public sealed interface StreamEvent {

    /** A piece of the answer, forwarded to the client as soon as it arrives. */
    record Delta(String text) implements StreamEvent {
    }

    /**
     * The provider's end marker arrived: the answer is complete.
     *
     * @param usage as reported by the upstream, or null when it reported none
     */
    record Done(TokenUsage usage, String finishReason) implements StreamEvent {
    }
}
