package io.chatai.provider;

import io.chatai.core.Secrets;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * The one place that turns HTTP statuses and transport failures of any provider into the
 * {@link UpstreamError} taxonomy. Stateless.
 */
public final class UpstreamFailures {
    private static final int MAX_MESSAGE = 300;

    private UpstreamFailures() {
    }

    /** Classifies a non-2xx response; the message is taken from the body and scrubbed of the key. */
    public static UpstreamError fromStatus(int status, String body, String retryAfterHeader, String apiKey) {
        String message = scrub(messageOf(body), apiKey);
        if (status == 400 && keyRejected(body)) {
            return new UpstreamError.AuthFailed(status, message);
        }
        return switch (status) {
            case 401, 403 -> new UpstreamError.AuthFailed(status, message);
            // 402 is an account out of credit (DeepSeek, OpenRouter, Anthropic's billing_error): another channel may have some.
            case 402 -> new UpstreamError.RateLimited(status, message, null);
            case 404 -> new UpstreamError.NotFound(status, message);
            case 408 -> new UpstreamError.Timeout("(upstream answered 408)", status);
            case 429 -> new UpstreamError.RateLimited(status, message, retryAfter(retryAfterHeader));
            default -> status >= 500 || status < 400
                    ? new UpstreamError.ServerError(status, message)
                    : new UpstreamError.BadRequest(status, message);
        };
    }

    /** Classifies an exception thrown while connecting, sending or reading. */
    public static UpstreamError fromTransport(Throwable thrown, boolean responseStarted) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return new UpstreamError.Timeout(responseStarted ? "waiting for the next chunk" : "waiting for the first byte", 0);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return new UpstreamError.Unreachable(t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            }
            if (t instanceof SSLException) {
                return new UpstreamError.Unreachable("TLS failed: " + t.getMessage());
            }
            if (t instanceof ClosedByInterruptException || t instanceof InterruptedIOException) {
                return new UpstreamError.BrokenStream("cancelled");
            }
        }
        String reason = thrown.getMessage() == null ? thrown.getClass().getSimpleName() : thrown.getMessage();
        return responseStarted ? new UpstreamError.BrokenStream(reason) : new UpstreamError.Unreachable(reason);
    }

    /**
     * The human message of an error body. OpenAI, Anthropic and Gemini all put it at {@code error.message};
     * anything else is shown as (a prefix of) the raw text.
     */
    static String messageOf(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = Json.tree(body);
            JsonNode error = node.path("error");
            if (error.path("message").isTextual()) {
                return truncate(error.path("message").textValue());
            }
            if (error.isTextual()) {
                return truncate(error.textValue());
            }
            if (node.path("message").isTextual()) {
                return truncate(node.path("message").textValue());
            }
        } catch (Exception notJson) {
            // fall through to the raw text
        }
        return truncate(body.strip());
    }

    /**
     * Whether a 400 is really a refused key. Gemini answers an invalid key with 400 INVALID_ARGUMENT and
     * the reason {@code API_KEY_INVALID}; read as a bad request, one wrong key would fail every request
     * with MODEL_ERROR instead of leaving rotation.
     */
    private static boolean keyRejected(String body) {
        if (body == null || !body.contains("API_KEY_INVALID")) {
            return false;
        }
        try {
            for (JsonNode detail : Json.tree(body).path("error").path("details")) {
                if ("API_KEY_INVALID".equals(detail.path("reason").asText())) {
                    return true;
                }
            }
        } catch (Exception notJson) {
            // not Google's error shape
        }
        return false;
    }

    /** Removes the key from text an upstream echoed back; some providers quote the key they refused. */
    public static String scrub(String text, String apiKey) {
        if (text == null || apiKey == null || apiKey.length() < 4) {
            return text;
        }
        return text.replace(apiKey, mask(apiKey));
    }

    /** {@code sk-…abcd}: enough to tell keys apart, never enough to use one ({@link Secrets#mask}). */
    public static String mask(String secret) {
        return Secrets.mask(secret);
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.strip());
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null; // an HTTP date; rare for APIs, and the default cooldown applies
        }
    }

    private static String truncate(String text) {
        if (text.length() <= MAX_MESSAGE) {
            return text;
        }
        int end = MAX_MESSAGE;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
