package io.chatai.provider;

import io.chatai.core.Cancellation;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.StreamSink;

/**
 * One upstream wire format (OpenAI, Anthropic, Gemini, a local model). An adapter keeps its wire DTOs
 * to itself and reports every failure as an {@link UpstreamException} carrying the {@link UpstreamError}
 * taxonomy, so routing never looks at a provider's status codes or bodies. Implementations are
 * thread-safe and do not retry: retrying is the router's job alone.
 */
public interface Provider {

    /** Asks for the whole answer at once; blocks the calling (virtual) thread. */
    Completion complete(Upstream upstream, ModelRequest request, Cancellation cancellation);

    /**
     * Streams the answer into the sink, returning after {@link StreamEvent.Done}. A stream that ends
     * without the provider's end marker is an {@link UpstreamError.BrokenStream}, never a short answer.
     */
    void stream(Upstream upstream, ModelRequest request, StreamSink sink, Cancellation cancellation);

    /** What a channel of this provider's type takes for its own fields (base URL and keys, or a model file). */
    ChannelRules channelRules();
}
