package io.chatai.core.message;

/**
 * Receives a stream's events on the calling thread. It may throw (for example when its client left);
 * the provider then stops reading and closes the upstream connection.
 */
@FunctionalInterface
public interface StreamSink {
    void accept(StreamEvent event);
}
