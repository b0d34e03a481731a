package io.chatai.core;

/**
 * The consumer of a call went away (a streaming client disconnected), so the call was abandoned. Not a
 * failure of the upstream: it neither cools the channel nor fails over.
 */
public final class CallCancelledException extends RuntimeException {
    public CallCancelledException(String reason) {
        super(reason, null, false, false);
    }
}
