package io.chatai.gateway;

import io.chatai.channel.RoutingException;
import io.chatai.core.ApiException;
import io.chatai.provider.UpstreamError;
import io.chatai.web.OpenAiError;

/**
 * How a routed failure reads on {@code /v1}: with the status an OpenAI SDK maps to the right exception,
 * so a caller's mistake is never a 5xx that the SDK retries. A model nobody serves is 404
 * {@code model_not_found}; a request the upstream refused is that upstream's own 400, 413 or 422 with its
 * own message (any other refusal, e.g. a blocked prompt, 400). A call stopped by one of the server's bounds
 * is a 502 with {@code x-should-retry: false}. Everything else keeps the Chat API's status: 503 when
 * channels for the model exist but are down or cooling, 502 when the upstream failed. Every {@code /v1}
 * route that routes a call ({@code /v1/chat/completions}, {@code /v1/embeddings}) answers through it. Stateless.
 */
public final class GatewayErrors {
    private GatewayErrors() {
    }

    /** The error as {@code /v1} answers it for a request for {@code model}; any other than a routing failure unchanged. */
    public static ApiException translate(ApiException e, String model) {
        if (!(e instanceof RoutingException routed)) {
            return e;
        }
        if (routed.unsupportedField() != null) {
            return new OpenAiError(400, "invalid_request_error", "unsupported_parameter", routed.unsupportedField(), e.getMessage());
        }
        if (routed.modelNotServed()) {
            return new OpenAiError(404, "invalid_request_error", "model_not_found", null,
                    "The model '" + model + "' does not exist or no channel serves it");
        }
        if (routed.upstreamError() instanceof UpstreamError.BadRequest refused) {
            int status = refused.status() == 413 || refused.status() == 422 ? refused.status() : 400;
            String message = refused.message() == null || refused.message().isBlank()
                    ? "The model refused the request (upstream status " + refused.status() + ")"
                    : refused.message();
            return new OpenAiError(status, "invalid_request_error", null, null, message);
        }
        if (routed.upstreamError() instanceof UpstreamError.LimitExceeded) {
            // A 502 the same request would meet again (it ran away once): the SDKs are told not to retry it.
            return new OpenAiError(502, "api_error", "model_error", null, e.getMessage(), true);
        }
        return e;
    }
}
