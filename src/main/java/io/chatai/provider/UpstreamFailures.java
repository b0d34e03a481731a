package io.chatai.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.FailureText;
import io.chatai.core.Json;
import io.chatai.core.Secrets;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLException;

/**
 * The one place that turns HTTP statuses and transport failures of any provider into the
 * {@link UpstreamError} taxonomy. Stateless.
 */
public final class UpstreamFailures {
    private static final int MAX_MESSAGE = 300;

    private UpstreamFailures() {
    }

    /**
     * Classifies a non-2xx response (or an error an upstream reported inside a 200 stream); the message is
     * taken from the body, cleared of every secret and only then cut to length.
     */
    public static UpstreamError fromStatus(int status, String body, String retryAfterHeader, Collection<String> secrets) {
        String message = clean(messageOf(body), secrets);
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

    /**
     * Classifies an exception thrown while connecting, sending or reading. The description is for
     * people: it names what happened, never a Java class (the exception itself goes to the cause).
     */
    public static UpstreamError fromTransport(Throwable thrown, boolean responseStarted) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return new UpstreamError.Timeout(responseStarted ? "waiting for the next chunk" : "waiting for the first byte", 0);
            }
            if (t instanceof ConnectException) {
                return new UpstreamError.Unreachable("connection refused");
            }
            if (t instanceof UnknownHostException) {
                return new UpstreamError.Unreachable("unknown host" + detail(t.getMessage()));
            }
            if (t instanceof NoRouteToHostException) {
                return new UpstreamError.Unreachable("no route to host");
            }
            if (t instanceof SSLException) {
                return new UpstreamError.Unreachable("TLS failed" + detail(t.getMessage()));
            }
            if (t instanceof ClosedByInterruptException || t instanceof InterruptedIOException) {
                return new UpstreamError.BrokenStream("cancelled");
            }
        }
        String detail = detail(FailureText.deepestMessage(thrown));
        return responseStarted
                ? new UpstreamError.BrokenStream("the connection failed while the answer was read" + detail)
                : new UpstreamError.Unreachable("the request failed before an answer began" + detail);
    }

    /**
     * What went wrong, in words, for a failure inside a provider (e.g. the local model's engine): the
     * innermost readable message of the exception and its causes, without Java class names.
     */
    public static String reason(Throwable thrown) {
        String message = FailureText.deepestMessage(thrown);
        return message == null || message.isBlank() ? "an unexpected failure" : truncate(message);
    }

    private static String detail(String message) {
        String readable = FailureText.withoutJavaNames(message);
        return readable == null || readable.isBlank() ? "" : " (" + truncate(readable.strip()) + ")";
    }

    /**
     * The human message of an error body, whole. OpenAI, Anthropic and Gemini all put it at
     * {@code error.message}; anything else is shown as the raw text.
     */
    static String messageOf(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = Json.tree(body);
            JsonNode error = node.path("error");
            if (error.path("message").isTextual()) {
                return error.path("message").textValue();
            }
            if (error.isTextual()) {
                return error.textValue();
            }
            if (node.path("message").isTextual()) {
                return node.path("message").textValue();
            }
        } catch (Exception notJson) {
            // fall through to the raw text
        }
        return body.strip();
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

    /**
     * Text an upstream sent, made fit to show and store: every secret of the channel redacted first (some
     * providers quote the key they refused, a proxy may echo a header), then cut to {@value #MAX_MESSAGE}
     * characters. In the other order a cut through a key would leave its first half, which no longer
     * matches the key and so was never masked.
     */
    public static String clean(String text, Collection<String> secrets) {
        return text == null ? null : truncate(Secrets.redact(text, secrets));
    }

    /**
     * {@code sk-…abcd}: enough for an operator to tell a channel's keys apart in its own view, never enough
     * to use one ({@link Secrets#mask}). Text from upstreams gets {@link #clean} instead, which keeps no character
     * of a key.
     */
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
