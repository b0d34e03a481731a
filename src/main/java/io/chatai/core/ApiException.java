package io.chatai.core;

import java.util.Map;

/**
 * The one unchecked exception every layer throws for a failure the caller should see; the web layer
 * turns it into the contract's error envelope. Its message is shown to clients, so it must never
 * carry a secret. Immutable.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> details;
    private final Integer retryAfterSeconds;

    public ApiException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public ApiException(ErrorCode code, String message, Map<String, Object> details) {
        this(code, message, details, null);
    }

    public ApiException(ErrorCode code, String message, Map<String, Object> details, Integer retryAfterSeconds) {
        super(message, null, false, false); // no stack trace: these are expected outcomes, not bugs
        this.code = code;
        this.details = details;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message);
    }

    public ErrorCode code() {
        return code;
    }

    /** Extra structured information for the envelope's {@code details}, or null. */
    public Map<String, Object> details() {
        return details;
    }

    /** Seconds for a {@code Retry-After} header, or null when none applies. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
