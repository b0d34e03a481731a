package io.chatai.provider;

import io.chatai.core.Cancellation;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A provider that can count a request's input tokens exactly without running the model (Anthropic's
 * {@code /v1/messages/count_tokens}). Thread-safe.
 */
public interface InputTokenCounting {

    /**
     * The input tokens of {@code body} (the caller's request in the provider's own wire format) for
     * {@code upstreamModel}, or empty when the upstream does not offer counting (it answered 404).
     *
     * @param headers the caller's headers the upstream should see, by lower-case name
     * @throws UpstreamException on any other failure
     */
    OptionalInt countInputTokens(Upstream upstream, String body, String upstreamModel, Map<String, String> headers,
                                 Cancellation cancellation);
}
