package io.chatai.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import java.io.IOException;

/**
 * What every HTTP adapter does the same way with an upstream's body: parse its JSON, read its next SSE
 * event, and report a body that makes no sense, each as the {@link UpstreamError} taxonomy. Stateless.
 */
public final class WireSupport {
    private WireSupport() {
    }

    /**
     * The next event of a streamed body, or null at its end; a failed read is classified as a transport
     * failure. Once the answer carried its finish reason ({@code finished}) nothing the stream still owes
     * matters to it (the end marker, usage), so a connection that breaks or goes silent then also ends
     * the body, unless this thread was interrupted: a departed client is never taken for an end.
     */
    public static SseReader.Event next(SseReader events, boolean finished) {
        try {
            return events.next();
        } catch (UpstreamException e) {
            throw e; // already classified, e.g. a bound of the call ran out
        } catch (IOException | RuntimeException e) {
            if (finished && !Thread.currentThread().isInterrupted()) {
                return null;
            }
            throw new UpstreamException(UpstreamFailures.fromTransport(e, true), e);
        }
    }

    /** Upstream JSON; anything unparseable means the response cannot be trusted as an answer. */
    public static JsonNode parse(String json) {
        try {
            return Json.tree(json);
        } catch (IOException e) {
            throw broken("unparseable JSON from upstream");
        }
    }

    public static UpstreamException broken(String reason) {
        return new UpstreamException(new UpstreamError.BrokenStream(reason));
    }

    /** {@code base + path} without a doubled slash, whether or not the operator ended the URL with one. */
    public static String join(String baseUrl, String path) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + path;
    }

    /** The text of a JSON field, or null when it is absent, null or not a string. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.textValue() : null;
    }
}
