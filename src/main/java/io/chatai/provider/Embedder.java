package io.chatai.provider;

import io.chatai.core.Cancellation;

/**
 * An upstream's embeddings endpoint: the capability a channel type has when its provider can turn texts
 * into vectors. Like {@link Provider}, an implementation keeps its wire DTOs to itself, reports every
 * failure as an {@link UpstreamException} of the {@link UpstreamError} taxonomy, never retries, and is
 * thread-safe.
 */
public interface Embedder {

    /** Embeds every input of the call, in order; blocks the calling (virtual) thread. */
    EmbeddingAnswer embed(Upstream upstream, EmbeddingCall call, Cancellation cancellation);
}
