package io.chatai.core;

/** The error codes of the contract, each with the HTTP status it is answered with. Immutable. */
public enum ErrorCode {
    INVALID_REQUEST(400),
    IMAGE_FETCH_FAILED(400),
    IMAGE_NOT_SUPPORTED(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    CONVERSATION_NOT_FOUND(404),
    PRESET_NOT_FOUND(404),
    NOT_FOUND(404),
    CONVERSATION_BUSY(409),
    PAYLOAD_TOO_LARGE(413),
    RATE_LIMITED(429),
    /** A budget would be passed (spend control); {@code Retry-After} says when its period resets. */
    QUOTA_EXCEEDED(429),
    MODEL_ERROR(502),
    CHANNEL_UNAVAILABLE(503),
    INTERNAL_ERROR(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
