package io.chatai.web;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.Json;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Errors of the Anthropic Messages front ({@code /v1/messages...}) in Anthropic's shape
 * {@code {"type":"error","error":{"type","message"}}} with the statuses its SDKs map to their exceptions:
 * 400 {@code invalid_request_error}, 401 {@code authentication_error}, 403 {@code permission_error},
 * 404 {@code not_found_error}, 413 {@code request_too_large}, 429 {@code rate_limit_error}, 500
 * {@code api_error} (an upstream that failed), 529 {@code overloaded_error} (every channel for the model is
 * down or cooling). A spent budget is a 429 that says {@code x-should-retry: false}, which the Anthropic
 * SDKs obey as OpenAI's do. Stateless.
 */
public final class AnthropicErrors {
    private static final HeaderName SHOULD_RETRY = HeaderNames.create("x-should-retry");

    private AnthropicErrors() {
    }

    /** Whether a path belongs to the Anthropic front. */
    public static boolean isAnthropicRoute(String path) {
        return path.equals("/v1/messages") || path.startsWith("/v1/messages/");
    }

    /** The status Anthropic would answer for this error. */
    public static int status(ApiException e) {
        int status = e instanceof OpenAiError openAi ? openAi.status() : e.code().status();
        return switch (status) {
            case 400, 401, 403, 404, 413, 429 -> status;
            case 409, 422 -> 400; // a caller's mistake in Anthropic's vocabulary
            case 503 -> 529;
            default -> status >= 500 ? 500 : 400;
        };
    }

    /** Anthropic's error {@code type} for a status of {@link #status}. */
    public static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            case 500 -> "api_error";
            default -> "invalid_request_error";
        };
    }

    /** The error body, also sent as the data of an {@code error} event inside a stream. */
    public static Map<String, Object> body(ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type(status(e)));
        error.put("message", e.getMessage());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "error");
        body.put("error", error);
        return body;
    }

    static void send(ServerResponse res, ApiException e) {
        res.status(status(e));
        if (e instanceof OpenAiError openAi && openAi.noRetry() || e.code() == ErrorCode.QUOTA_EXCEEDED) {
            res.header(SHOULD_RETRY, "false");
        }
        if (e.retryAfterSeconds() != null) {
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        res.header(Responses.JSON);
        res.send(Json.write(body(e)));
    }
}
