package io.chatai.provider;

import java.util.Optional;
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

    /**
     * The first part of the request this provider cannot honour and that would change the answer (a field
     * in OpenAI's spelling, such as {@code logprobs} or {@code messages[2].content[1]}), or empty when it can
     * honour all of it. Checked before any upstream call: the router skips channels that cannot honour a
     * request, and refuses it with 400 naming the field and the channel type when none can. Hints a
     * provider has no equivalent for are dropped, not refused.
     */
    default Optional<String> unsupported(ModelRequest request) {
        return Optional.empty();
    }

    /** What a channel of this provider's type takes for its own fields (base URL and keys, or a model file). */
    ChannelRules channelRules();
}
