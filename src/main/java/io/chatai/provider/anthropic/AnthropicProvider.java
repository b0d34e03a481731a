package io.chatai.provider.anthropic;

import static io.chatai.provider.WireSupport.broken;
import static io.chatai.provider.WireSupport.next;
import static io.chatai.provider.WireSupport.parse;
import static io.chatai.provider.WireSupport.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Cancellation;
import io.chatai.core.Json;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.StreamSink;
import io.chatai.provider.ChannelRules;
import io.chatai.provider.HttpChannelRules;
import io.chatai.provider.InputTokenCounting;
import io.chatai.provider.Provider;
import io.chatai.provider.RawRelay;
import io.chatai.provider.SseReader;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamException;
import io.chatai.provider.UpstreamFailures;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.UpstreamResponse;
import io.chatai.provider.WireSupport;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Anthropic Messages ({@code POST {baseUrl}/v1/messages} with {@code x-api-key} and
 * {@code anthropic-version}), the whole rich model both ways (see {@link AnthropicRequest},
 * {@link AnthropicBlocks}, {@link AnthropicAnswer}, {@link AnthropicStream}). A stream ends at
 * {@code message_stop}, or where the body ends after the {@code message_delta} carrying the
 * {@code stop_reason}; one that ends before a stop reason is broken. An {@code error} event is classified
 * like the HTTP status Anthropic gives that error type. Thread-safe.
 */
public final class AnthropicProvider implements Provider, RawRelay, InputTokenCounting {
    private static final ChannelRules CHANNEL_RULES = new HttpChannelRules("https://api.anthropic.com");
    private final UpstreamHttp http;
    private final AnthropicRelay relay;

    public AnthropicProvider(UpstreamHttp http) {
        this.http = http;
        this.relay = new AnthropicRelay(http);
    }

    /** Relays {@code /v1/messages} requests unchanged but for {@code model} ({@link AnthropicRelay}). */
    @Override
    public boolean relays(java.util.Map<String, Object> options, Request request) {
        return request.api() == Api.MESSAGES;
    }

    /** The answer keeps the upstream's own {@code model}: the Messages front passes it through unchanged. */
    @Override
    public Answer relay(Upstream upstream, Request request, String upstreamModel, String callerModel, Sink sink,
                        Cancellation cancellation) {
        return relay.relay(upstream, request, upstreamModel, sink, cancellation);
    }

    @Override
    public OptionalInt countInputTokens(Upstream upstream, String body, String upstreamModel, Map<String, String> headers,
                                        Cancellation cancellation) {
        return relay.countInputTokens(upstream, body, upstreamModel, headers, cancellation);
    }

    @Override
    public Completion complete(Upstream upstream, ModelRequest request, Cancellation cancellation) {
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = send(upstream, request, false)) {
            JsonNode message = parse(response.readBody());
            if (!message.path("content").isArray()) {
                throw broken("the response has no content");
            }
            return new Completion(AnthropicAnswer.parts(message.path("content")),
                    AnthropicWire.finishReason(text(message, "stop_reason")), AnthropicWire.usage(message.path("usage")));
        }
    }

    @Override
    public void stream(Upstream upstream, ModelRequest request, StreamSink sink, Cancellation cancellation) {
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = send(upstream, request, true)) {
            SseReader events = new SseReader(response.body());
            AnthropicStream answer = new AnthropicStream(sink);
            SseReader.Event event;
            while ((event = next(events, answer.finished())) != null) {
                JsonNode data = parse(event.data());
                String type = text(data, "type") != null ? text(data, "type") : String.valueOf(event.name());
                if (type.equals("error")) {
                    throw failure(upstream, data);
                }
                if (answer.accept(type, data)) {
                    return;
                }
            }
            if (answer.finished()) {
                answer.done(); // the answer and its usage are complete; only message_stop is missing
                return;
            }
            throw broken("the stream ended before a stop_reason or message_stop");
        }
    }

    /**
     * What Anthropic cannot do and that would change the answer: log probabilities, several choices,
     * presence and frequency penalties, a temperature above its maximum of 1, and stop sequences of only
     * whitespace (which Anthropic refuses). A seed, a user name and an image's {@code detail} are hints
     * without an equivalent and are dropped.
     */
    @Override
    public Optional<String> unsupported(ModelRequest request) {
        RequestOptions options = request.options();
        if (Boolean.TRUE.equals(options.logprobs())) {
            return Optional.of("logprobs");
        }
        if (options.topLogprobs() != null && options.topLogprobs() > 0) {
            return Optional.of("top_logprobs");
        }
        if (options.n() != null && options.n() > 1) {
            return Optional.of("n");
        }
        if (options.presencePenalty() != null && options.presencePenalty() != 0) {
            return Optional.of("presence_penalty");
        }
        if (options.frequencyPenalty() != null && options.frequencyPenalty() != 0) {
            return Optional.of("frequency_penalty");
        }
        if (options.temperature() != null && options.temperature() > 1) {
            return Optional.of("temperature");
        }
        if (options.stop().stream().anyMatch(String::isBlank)) {
            return Optional.of("stop");
        }
        return Optional.empty();
    }

    private static UpstreamException failure(Upstream upstream, JsonNode data) {
        int status = AnthropicWire.statusOf(text(data.path("error"), "type"));
        return new UpstreamException(UpstreamFailures.fromStatus(status, data.toString(), null, upstream.secrets()));
    }

    private UpstreamResponse send(Upstream upstream, ModelRequest request, boolean stream) {
        byte[] body = Json.write(AnthropicRequest.of(request, stream));
        Map<String, String> headers = upstream.apiKey() == null
                ? Map.of("anthropic-version", AnthropicWire.VERSION)
                : Map.of("x-api-key", upstream.apiKey(), "anthropic-version", AnthropicWire.VERSION);
        return http.postJson(upstream, WireSupport.join(upstream.baseUrl(), "/v1/messages"), headers, body, stream);
    }

    @Override
    public ChannelRules channelRules() {
        return CHANNEL_RULES;
    }
}
