package io.chatai.provider;

/** Carries an {@link UpstreamError} out of a provider call. Its message is safe to show a client. */
public final class UpstreamException extends RuntimeException {
    private final UpstreamError error;

    public UpstreamException(UpstreamError error) {
        super(error.describe(), null, false, false);
        this.error = error;
    }

    public UpstreamException(UpstreamError error, Throwable cause) {
        super(error.describe(), cause, false, false);
        this.error = error;
    }

    public UpstreamError error() {
        return error;
    }
}
