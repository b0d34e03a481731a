package io.chatai.testing;

import java.time.Duration;
import java.util.List;

/**
 * What a fake upstream answers to one call. Immutable.
 *
 * @param status       HTTP status; non-2xx statuses send {@code errorBody}
 * @param chunks       the answer's pieces: one stream chunk each, joined for a non-streamed answer
 * @param firstByte    delay before the status line
 * @param gap          delay between chunks
 * @param usage        report usage (prompt 11, completion = number of chunks) when true
 * @param endMarker    send the provider's end marker; false breaks the stream after the chunks
 * @param hang         never answer (until the client gives up)
 * @param retryAfter   Retry-After header value, or null
 */
public record Reply(int status, List<String> chunks, Duration firstByte, Duration gap, boolean usage,
                    boolean endMarker, boolean hang, String errorBody, String retryAfter) {

    public static Reply text(String... chunks) {
        return new Reply(200, List.of(chunks), Duration.ZERO, Duration.ZERO, true, true, false, null, null);
    }

    public static Reply status(int status, String message) {
        return new Reply(status, List.of(), Duration.ZERO, Duration.ZERO, false, true, false,
                "{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"}}", null);
    }

    public static Reply hanging() {
        return new Reply(200, List.of(), Duration.ZERO, Duration.ZERO, false, true, true, null, null);
    }

    public Reply brokenAfterChunks() {
        return new Reply(status, chunks, firstByte, gap, usage, false, hang, errorBody, retryAfter);
    }

    public Reply withoutUsage() {
        return new Reply(status, chunks, firstByte, gap, false, endMarker, hang, errorBody, retryAfter);
    }

    public Reply withGap(Duration gap) {
        return new Reply(status, chunks, firstByte, gap, usage, endMarker, hang, errorBody, retryAfter);
    }

    public Reply withFirstByte(Duration firstByte) {
        return new Reply(status, chunks, firstByte, gap, usage, endMarker, hang, errorBody, retryAfter);
    }

    public Reply withRetryAfter(String retryAfter) {
        return new Reply(status, chunks, firstByte, gap, usage, endMarker, hang, errorBody, retryAfter);
    }

    public String joined() {
        return String.join("", chunks);
    }
}
