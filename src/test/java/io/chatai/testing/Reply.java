package io.chatai.testing;

import java.time.Duration;
import java.util.List;

/**
 * What a fake upstream answers to one call, in whatever wire format the fake speaks. Immutable.
 *
 * @param status       HTTP status; a non-2xx status sends {@code errorBody}, or the fake's own error shape
 *                     for {@code errorMessage}
 * @param chunks       the answer's pieces: one stream chunk each, joined for a non-streamed answer
 * @param firstByte    delay before the status line
 * @param gap          delay between chunks
 * @param usage        report usage (prompt 11, completion = number of chunks) when true
 * @param endMarker    send the provider's end marker; false breaks the stream after the chunks
 * @param hang         never answer, not even the status line (until the client gives up)
 * @param stall        send the 200 and its headers, then nothing more (until the client gives up)
 * @param streamError  after the chunks, send the provider's in-stream error for this status instead of
 *                     the end marker; 0 for none
 * @param retryAfter   Retry-After header value, or null
 * @param fault        how a hostile or sloppy upstream misbehaves after the chunks; {@link Fault#NONE} for none
 */
public record Reply(int status, List<String> chunks, Duration firstByte, Duration gap, boolean usage,
                    boolean endMarker, boolean hang, boolean stall, int streamError, String errorMessage,
                    String errorBody, String retryAfter, Fault fault) {

    /** What a fake upstream does wrong, beyond statuses and timing. */
    public enum Fault {
        NONE,
        /** The finish reason (and usage) are sent, then the body ends without the end marker ({@code [DONE]}, {@code message_stop}). */
        NO_END_MARKER,
        /** After the chunks, deltas of 1,000 characters without end, {@code gap} apart, until the client leaves. */
        ENDLESS_DELTAS,
        /** After the chunks, one event line that never ends (no newline), until the client leaves. */
        ENDLESS_LINE,
        /** A non-streamed answer whose JSON body never ends, until the client leaves. */
        ENDLESS_BODY
    }

    public Reply(int status, List<String> chunks, Duration firstByte, Duration gap, boolean usage, boolean endMarker,
                 boolean hang, boolean stall, int streamError, String errorMessage, String errorBody, String retryAfter) {
        this(status, chunks, firstByte, gap, usage, endMarker, hang, stall, streamError, errorMessage, errorBody, retryAfter,
                Fault.NONE);
    }

    public static Reply text(String... chunks) {
        return new Reply(200, List.of(chunks), Duration.ZERO, Duration.ZERO, true, true, false, false, 0, null, null, null);
    }

    /** An error status with the message in the fake provider's own error shape. */
    public static Reply status(int status, String message) {
        return new Reply(status, List.of(), Duration.ZERO, Duration.ZERO, false, true, false, false, 0, message, null, null);
    }

    /** This status with exactly this body (also a 200 whose body is not an answer, e.g. a blocked prompt). */
    public static Reply rawError(int status, String body) {
        return new Reply(status, List.of(), Duration.ZERO, Duration.ZERO, false, true, false, false, 0, null, body, null);
    }

    public static Reply hanging() {
        return new Reply(200, List.of(), Duration.ZERO, Duration.ZERO, false, true, true, false, 0, null, null, null);
    }

    /** A 200 whose body never comes: the stream that goes silent after its headers. */
    public static Reply stalling() {
        return new Reply(200, List.of(), Duration.ZERO, Duration.ZERO, false, true, false, true, 0, null, null, null);
    }

    public Reply brokenAfterChunks() {
        return new Reply(status, chunks, firstByte, gap, usage, false, hang, stall, streamError, errorMessage, errorBody, retryAfter, fault);
    }

    /** After the chunks, the provider's in-stream error event for this status (e.g. Anthropic's overloaded_error). */
    public Reply failingMidStream(int errorStatus, String message) {
        return new Reply(status, chunks, firstByte, gap, usage, false, hang, stall, errorStatus, message, errorBody, retryAfter, fault);
    }

    public Reply withoutUsage() {
        return new Reply(status, chunks, firstByte, gap, false, endMarker, hang, stall, streamError, errorMessage, errorBody, retryAfter, fault);
    }

    public Reply withGap(Duration gap) {
        return new Reply(status, chunks, firstByte, gap, usage, endMarker, hang, stall, streamError, errorMessage, errorBody, retryAfter, fault);
    }

    public Reply withFirstByte(Duration firstByte) {
        return new Reply(status, chunks, firstByte, gap, usage, endMarker, hang, stall, streamError, errorMessage, errorBody, retryAfter, fault);
    }

    public Reply withRetryAfter(String retryAfter) {
        return new Reply(status, chunks, firstByte, gap, usage, endMarker, hang, stall, streamError, errorMessage, errorBody, retryAfter, fault);
    }

    /** The same reply, misbehaving this way. */
    public Reply with(Fault fault) {
        return new Reply(status, chunks, firstByte, gap, usage, endMarker, hang, stall, streamError, errorMessage, errorBody, retryAfter, fault);
    }

    public String joined() {
        return String.join("", chunks);
    }
}
