package io.chatai.web;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.Json;
import io.helidon.http.DirectHandler;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Answers what Helidon refuses below the routing (malformed framing, an over-long request line,
 * HTTP/1.0, a body over the limit) in the contract's envelope, keeping Helidon's 4xx status. Registered
 * as the listener's direct handler for every event type. Nothing here logs: a malformed request is the
 * client's mistake, not the server's. Stateless.
 */
public final class TransportErrors {
    /** What Helidon says when it deems its own message unsafe to show (in {@code DirectHandler.handle}). */
    private static final String HELIDON_UNSAFE_MESSAGE = "Bad request, see server log";

    private TransportErrors() {
    }

    /** The handler; {@code maxRequestLineBytes} is named in the 414 answer. */
    public static DirectHandler handler(int maxRequestLineBytes) {
        return (request, eventType, status, headers, message) -> {
            Refusal refusal = refusal(status, message, maxRequestLineBytes);
            ServerResponseHeaders responseHeaders = ServerResponseHeaders.create();
            responseHeaders.set(Responses.JSON);
            // A refusal during routing carries the request's id; one before routing keeps the caller's.
            responseHeaders.set(RequestIds.HEADER, headers.first(RequestIds.HEADER)
                    .or(() -> request.headers().first(RequestIds.HEADER).filter(RequestIds::isValid))
                    .orElseGet(RequestIds::generate));
            return DirectHandler.TransportResponse.builder()
                    .status(refusal.status())
                    .headers(responseHeaders)
                    .entity(Json.write(ErrorResponses.envelope(refusal.error())))
                    .keepAlive(eventType.keepAlive())
                    .build();
        };
    }

    /** The status and envelope sent for a refusal. */
    record Refusal(Status status, ApiException error) {
    }

    static Refusal refusal(Status status, String message, int maxRequestLineBytes) {
        return switch (status.code()) {
            case 414 -> new Refusal(status, ApiException.invalid(
                    "The request line is longer than " + maxRequestLineBytes + " bytes"));
            // Helidon's Http1Prologue refuses HTTP/1.0 outright; 505 tells the client what to change.
            case 505 -> new Refusal(status, ApiException.invalid(
                    "HTTP/1.0 is not supported; send the request as HTTP/1.1"));
            // Helidon answers 501 to "Transfer-Encoding: gzip, chunked"; for the client it is a malformed request.
            case 501 -> new Refusal(Status.BAD_REQUEST_400, ApiException.invalid(
                    "Unsupported Transfer-Encoding: a request body may only be sent chunked or with a Content-Length"));
            default -> status.code() >= 500
                    ? new Refusal(Status.INTERNAL_SERVER_ERROR_500, new ApiException(ErrorCode.INTERNAL_ERROR, "Internal error"))
                    : new Refusal(status, ErrorResponses.fromStatus(status, describe(message)));
        };
    }

    private static String describe(String message) {
        if (message == null || message.isBlank() || message.startsWith(HELIDON_UNSAFE_MESSAGE)) {
            return "Malformed HTTP request";
        }
        String text = message.strip();
        text = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        return "Malformed HTTP request: " + text;
    }
}
