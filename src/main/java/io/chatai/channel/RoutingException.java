package io.chatai.channel;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.provider.UpstreamError;
import java.util.Map;

/**
 * A routed request that failed, as the Chat API answers it ({@code CHANNEL_UNAVAILABLE} or
 * {@code MODEL_ERROR}), plus what another API needs to answer in its own terms: whether the model is
 * served at all, and the upstream failure that decided it. The OpenAI-compatible gateway turns a model
 * nobody serves into 404 and an upstream's refusal of the request into that upstream's own 4xx, where the
 * Chat API keeps 503 and 502. A request no channel serving the model can honour is a 400 naming the field.
 * Immutable.
 */
public final class RoutingException extends ApiException {
    private final boolean modelNotServed;
    private final transient UpstreamError upstreamError;

    private final String unsupportedField;

    RoutingException(ErrorCode code, String message, Map<String, Object> details, Integer retryAfterSeconds,
                     boolean modelNotServed, UpstreamError upstreamError, String unsupportedField) {
        super(code, message, details, retryAfterSeconds);
        this.modelNotServed = modelNotServed;
        this.upstreamError = upstreamError;
        this.unsupportedField = unsupportedField;
    }

    /** The request field no channel serving the model can honour (OpenAI's spelling), or null. */
    public String unsupportedField() {
        return unsupportedField;
    }

    /** No enabled channel lists the model, or every channel that lists it answered 404 for it. */
    public boolean modelNotServed() {
        return modelNotServed;
    }

    /** The upstream failure that ended the request at once (a refused request, a bound), or null. */
    public UpstreamError upstreamError() {
        return upstreamError;
    }
}
