package io.chatai.provider;

import io.chatai.core.Cancellation;

/**
 * An upstream's embeddings endpoint: the capability a channel type has when its provider can turn texts
 * into vectors. Like {@link Provider}, an implementation keeps its wire DTOs to itself, reports every
 * failure as an {@link UpstreamException} of the {@link UpstreamError} taxonomy, never retries, and is
 * thread-safe.
 */
public interface Embedder {
    /**
     * The largest embeddings answer read, in bytes. Far above chat's whole-body bound: 2048 inputs of
     * 1536 dimensions are 16.8 MB in base64 (the SDKs' default), and a Gemini batch of 100 vectors of 3072
     * dimensions some 8 to 10 MB of indented JSON. Past it the call ends as {@link UpstreamError.LimitExceeded}.
     */
    int MAX_ANSWER_BYTES = 32 << 20;

    /** Embeds every input of the call, in order; blocks the calling (virtual) thread. */
    EmbeddingAnswer embed(Upstream upstream, EmbeddingCall call, Cancellation cancellation);
}
