package io.chatai.web;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.Json;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into the contract's error envelope: no stack trace, no HTML, and a bug logged
 * with its request id so the operator can find it. What Helidon rejects before routing is answered by
 * {@link TransportErrors}. Stateless.
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    /** Not a standard header, but OpenAI's SDKs obey it over their own retry rules. */
    private static final HeaderName SHOULD_RETRY = HeaderNames.create("x-should-retry");

    private ErrorResponses() {
    }

    /** The error handler for everything thrown while routing. */
    public static void handle(ServerRequest req, ServerResponse res, Throwable thrown) {
        send(req, res, toApiException(req, thrown));
    }

    /** Writes an error response in the envelope of the route's API. */
    public static void send(ServerRequest req, ServerResponse res, ApiException e) {
        res.status(e instanceof OpenAiError openAi ? openAi.status() : e.code().status());
        boolean v1 = req.prologue().uriPath().path().startsWith("/v1/");
        // A spent budget stays spent until its period resets (hours away): the SDKs' retries could only fail again.
        if (e instanceof OpenAiError openAi && openAi.noRetry() || v1 && e.code() == ErrorCode.QUOTA_EXCEEDED) {
            res.header(SHOULD_RETRY, "false");
        }
        if (e.retryAfterSeconds() != null) {
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        res.header(Responses.JSON);
        // The OpenAI-compatible routes answer in OpenAI's error shape, so its SDKs raise proper errors.
        res.send(Json.write(v1 ? openAiError(e) : envelope(e)));
    }

    /** OpenAI's error shape {@code {"error": {"message", "type", "code", "param"}}}, for the {@code /v1} routes. */
    public static Map<String, Object> openAiError(ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e.getMessage());
        if (e instanceof OpenAiError openAi) {
            error.put("type", openAi.type());
            error.put("code", openAi.openAiCode());
            error.put("param", openAi.param());
            return Map.of("error", error);
        }
        error.put("type", switch (e.code()) {
            case INVALID_REQUEST, IMAGE_FETCH_FAILED, IMAGE_NOT_SUPPORTED, PAYLOAD_TOO_LARGE, CONVERSATION_BUSY -> "invalid_request_error";
            case UNAUTHORIZED -> "authentication_error";
            case FORBIDDEN -> "permission_error";
            case CONVERSATION_NOT_FOUND, PRESET_NOT_FOUND, NOT_FOUND -> "not_found_error";
            case RATE_LIMITED -> "rate_limit_error";
            case QUOTA_EXCEEDED -> "insufficient_quota"; // OpenAI's own type and code for a spent quota
            case MODEL_ERROR, CHANNEL_UNAVAILABLE, INTERNAL_ERROR -> "api_error";
        });
        error.put("code", e.code() == ErrorCode.QUOTA_EXCEEDED ? "insufficient_quota" : e.code().name().toLowerCase(java.util.Locale.ROOT));
        error.put("param", null);
        return Map.of("error", error);
    }

    /** {@code {"success": false, "error", "code", "details"?}}. */
    public static Map<String, Object> envelope(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", e.getMessage());
        body.put("code", e.code().name());
        if (e.details() != null) {
            body.put("details", e.details());
        }
        return body;
    }

    /** The envelope's view of any failure; anything unexpected is logged as a bug with the request id. */
    public static ApiException toApiException(ServerRequest req, Throwable thrown) {
        if (thrown instanceof ApiException api) {
            return api;
        }
        if (thrown instanceof NotFoundException) {
            return new ApiException(ErrorCode.NOT_FOUND,
                    "No route for " + req.prologue().method().text() + " " + req.prologue().uriPath().path());
        }
        if (thrown instanceof HttpException http && http.status().code() < 500) {
            return fromStatus(http.status(), http.getMessage());
        }
        LOG.error("Unhandled error [requestId={}] {} {}", RequestIds.of(req), req.prologue().method().text(),
                req.prologue().uriPath().path(), thrown);
        return new ApiException(ErrorCode.INTERNAL_ERROR,
                "Internal error; quote request id " + RequestIds.of(req) + " when reporting it");
    }

    /** The envelope's view of a 4xx status Helidon chose; the message is shown to the client. */
    static ApiException fromStatus(Status status, String message) {
        return switch (status.code()) {
            case 413 -> new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "Request body is larger than the configured limit");
            case 404 -> new ApiException(ErrorCode.NOT_FOUND, "Not found");
            case 401 -> new ApiException(ErrorCode.UNAUTHORIZED, "Unauthorized");
            case 403 -> new ApiException(ErrorCode.FORBIDDEN, "Forbidden");
            default -> ApiException.invalid(message == null || message.isBlank() ? "Bad request" : sanitize(message));
        };
    }

    private static String sanitize(String message) {
        return message.length() > 200 ? message.substring(0, 200) : message;
    }
}
