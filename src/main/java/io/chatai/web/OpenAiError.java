package io.chatai.web;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;

/**
 * An error of the OpenAI-compatible routes with exactly the status, {@code type}, {@code code} and
 * {@code param} OpenAI's SDKs read to pick their exception (and to decide whether to retry), where the
 * Chat API's code alone would say something else: 404 {@code model_not_found} for a model nobody serves,
 * an upstream's own 400/413/422 for a request it refused. Immutable.
 */
public final class OpenAiError extends ApiException {
    private final int status;
    private final String type;
    private final String openAiCode;
    private final String param;
    private final boolean noRetry;

    public OpenAiError(int status, String type, String openAiCode, String param, String message) {
        this(status, type, openAiCode, param, message, false);
    }

    /**
     * @param noRetry answer {@code x-should-retry: false}, which OpenAI's SDKs obey over their status rules:
     *                for a 5xx that the same request would meet again
     */
    public OpenAiError(int status, String type, String openAiCode, String param, String message, boolean noRetry) {
        super(closest(status), message);
        this.status = status;
        this.type = type;
        this.openAiCode = openAiCode;
        this.param = param;
        this.noRetry = noRetry;
    }

    /** Whether the response tells SDKs not to retry ({@code x-should-retry: false}). */
    public boolean noRetry() {
        return noRetry;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** OpenAI's {@code code}, or null. */
    public String openAiCode() {
        return openAiCode;
    }

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }

    private static ErrorCode closest(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 502 -> ErrorCode.MODEL_ERROR;
            default -> ErrorCode.INVALID_REQUEST;
        };
    }
}
