package io.chatai.provider;

import java.time.Duration;

/**
 * Every way an upstream call can fail, as the router sees it. Each kind knows whether another key or
 * channel might succeed ({@link #retryable()}) and whether the channel should cool down. Immutable.
 *
 * <p>The retry table: 408, 402, 429, 5xx, 404, connect errors, timeouts and broken streams move on to the next
 * key or channel; 401/403 move on too but only take that key out of rotation; 400/422 and other 4xx fail
 * at once as {@code MODEL_ERROR}, since the same request would fail everywhere; so does a call that ran
 * past one of the server's own bounds ({@link LimitExceeded}).
 */
public sealed interface UpstreamError {

    /** A short description for logs and the client's {@code details}; never a key. */
    String describe();

    /** Whether the same request might succeed on another key or channel. */
    boolean retryable();

    /** Whether the failure says the channel itself is unhealthy (so it should cool down). */
    default boolean coolsChannel() {
        return retryable();
    }

    /** HTTP status from the upstream, or 0 for transport failures. */
    default int status() {
        return 0;
    }

    /** 429, or 402: the key or channel is over its rate or out of credit; {@code retryAfter} is the upstream's hint or null. */
    record RateLimited(int status, String message, Duration retryAfter) implements UpstreamError {
        public String describe() {
            return (status == 402 ? "out of credit (" : "rate limited (") + status + ")" + suffix(message);
        }

        public boolean retryable() {
            return true;
        }
    }

    /** 401/403: this key is refused; others of the channel may work, so the channel does not cool. */
    record AuthFailed(int status, String message) implements UpstreamError {
        public String describe() {
            return "key refused (" + status + ")" + suffix(message);
        }

        public boolean retryable() {
            return true;
        }

        public boolean coolsChannel() {
            return false;
        }
    }

    /** 400/422 and other 4xx: the request itself is wrong for the model; retrying elsewhere cannot help. */
    record BadRequest(int status, String message) implements UpstreamError {
        public String describe() {
            return "request refused (" + status + ")" + suffix(message);
        }

        public boolean retryable() {
            return false;
        }
    }

    /**
     * 404: this channel does not have the model (or the path); another may. It says nothing about the
     * channel's other models, so the router marks only that model missing there instead of cooling it.
     */
    record NotFound(int status, String message) implements UpstreamError {
        public String describe() {
            return "not found (" + status + ")" + suffix(message);
        }

        public boolean retryable() {
            return true;
        }

        public boolean coolsChannel() {
            return false;
        }
    }

    /** No first byte, or no next chunk, within the channel's {@code timeoutMs}; or a 408. */
    record Timeout(String phase, int status) implements UpstreamError {
        public String describe() {
            return "timed out " + phase;
        }

        public boolean retryable() {
            return true;
        }
    }

    /** 5xx and anything else unexpected from a reachable upstream. */
    record ServerError(int status, String message) implements UpstreamError {
        public String describe() {
            return "server error (" + status + ")" + suffix(message);
        }

        public boolean retryable() {
            return true;
        }
    }

    /** Connection refused, DNS failure, TLS failure: nothing was sent. */
    record Unreachable(String reason) implements UpstreamError {
        public String describe() {
            return "unreachable: " + reason;
        }

        public boolean retryable() {
            return true;
        }
    }

    /** The response stopped, or could not be parsed, before the provider's end marker. */
    record BrokenStream(String reason) implements UpstreamError {
        public String describe() {
            return "broken stream: " + reason;
        }

        public boolean retryable() {
            return true;
        }
    }

    /**
     * The call ran past one of the bounds that keep a hostile or broken upstream from exhausting the
     * server: one SSE line or JSON body over 4 MiB, an answer over {@code CHATAI_MAX_ANSWER_CHARS}, or the
     * whole call over the channel's {@code totalTimeoutMs}. The call is ended and its connection closed;
     * another channel is not tried (the same request could run away there too, and after a streamed start
     * it cannot be), and the channel does not cool: one runaway answer says nothing about its health.
     *
     * @param what which bound, with its value, e.g. "the answer is longer than CHATAI_MAX_ANSWER_CHARS (400000 characters)"
     */
    record LimitExceeded(String what) implements UpstreamError {
        public String describe() {
            return "stopped: " + what;
        }

        public boolean retryable() {
            return false;
        }
    }

    /**
     * Every sequence of a local model is busy and its waiting line is full (or the wait ran out): another
     * channel may answer now. It does not cool the channel, which is healthy, only busy for a moment.
     */
    record Overloaded(String reason) implements UpstreamError {
        public String describe() {
            return "overloaded: " + reason;
        }

        public boolean retryable() {
            return true;
        }

        public boolean coolsChannel() {
            return false;
        }
    }

    private static String suffix(String message) {
        return message == null || message.isBlank() ? "" : ": " + message;
    }
}
