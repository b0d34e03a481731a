package io.chatai.provider;

import io.chatai.core.Cancellation;
import io.chatai.core.message.Completion;
import io.chatai.core.message.StreamSink;

/**
 * A provider whose wire format is the caller's own (OpenAI chat completions behind {@code /v1/chat/completions};
 * OpenAI's Responses API behind {@code /v1/responses}, for the channels that say they serve it, see {@link #relays}),
 * so a request can go through it unchanged instead of being translated: the caller's body goes upstream with
 * only its {@code model} (and the usage option of a stream) changed, and the upstream's answer comes back with
 * only its {@code model} changed. Failures are reported like every other call, as {@link UpstreamException}s.
 * Implementations are thread-safe and do not retry.
 */
public interface RawRelay {

    /**
     * One caller's request as it arrived.
     *
     * @param body             the caller's JSON body, exactly as sent
     * @param stream           whether the caller asked for a stream
     * @param callerWantsUsage whether the caller asked for the usage chunk ({@code stream_options.include_usage});
     *                         the relay always asks the upstream for it, and passes it on only then
     */
    record Request(String body, boolean stream, boolean callerWantsUsage, Api api, String onlyChannelId) {
        /** A chat-completions request, which any channel of a relaying type may take. */
        public Request(String body, boolean stream, boolean callerWantsUsage) {
            this(body, stream, callerWantsUsage, Api.CHAT_COMPLETIONS, null);
        }
    }

    /**
     * The API a caller's request is written for. {@code onlyChannelId} on a {@link Request} names the one channel
     * that may relay it (state the upstream keeps, such as a stored response, lives there); null: any channel.
     */
    enum Api {
        /** OpenAI chat completions: every channel of a relaying type takes it. */
        CHAT_COMPLETIONS,
        /** OpenAI's Responses API: only channels that say they serve it ({@link #relays}). */
        RESPONSES
    }

    /** Whether a channel with these type options relays {@code request}; the others translate it. */
    default boolean relays(java.util.Map<String, Object> options, Request request) {
        return request.api() == Api.CHAT_COMPLETIONS;
    }

    /**
     * Where a streamed relay goes: each SSE payload to forward, in the upstream's order, and (through
     * {@link StreamSink#accept}) the answer's pieces read from them, for accounting only.
     */
    interface Sink extends StreamSink {
        /** One {@code data:} payload for the caller, {@code model} already rewritten; {@code [DONE]} last (chat completions only). */
        void forward(String data);
    }

    /**
     * What a relayed call produced.
     *
     * @param body       the whole non-streamed answer for the caller ({@code model} rewritten), null for a stream
     * @param completion the answer read for accounting (text, reasoning and tool calls of every choice, finish
     *                   reason, usage as reported or null); null for a stream, whose pieces went to the sink
     */
    record Answer(String body, Completion completion) {
    }

    /**
     * Sends the caller's request to the upstream with {@code upstreamModel} and relays the answer with
     * {@code callerModel} as its {@code model}. A streamed answer goes to {@code sink} and ends with a
     * {@link io.chatai.core.message.StreamEvent.Done} and a forwarded {@code [DONE]}, also when the upstream
     * ended after its finish reason without one.
     */
    Answer relay(Upstream upstream, Request request, String upstreamModel, String callerModel, Sink sink,
                 Cancellation cancellation);
}
