package io.chatai.provider.openai;

import static io.chatai.provider.WireSupport.broken;
import static io.chatai.provider.WireSupport.next;
import static io.chatai.provider.WireSupport.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Cancellation;
import io.chatai.core.Json;
import io.chatai.core.message.Completion;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.StreamSink;
import io.chatai.core.message.TokenUsage;
import io.chatai.provider.ChannelRules;
import io.chatai.provider.HttpChannelRules;
import io.chatai.provider.Provider;
import io.chatai.provider.RawRelay;
import io.chatai.provider.SseReader;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamFailures;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.UpstreamResponse;
import io.chatai.provider.WireSupport;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI chat completions ({@code POST {baseUrl}/chat/completions}), spoken by OpenAI and by most
 * compatible servers (DeepSeek, vLLM, llama.cpp, Ollama's {@code /v1}). Streams ask for
 * {@code stream_options.include_usage} so usage is reported. A stream ends at {@code data: [DONE]}, or
 * where the body ends after a chunk with a {@code finish_reason}: several compatible servers never send
 * {@code [DONE]}. A body that ends before any finish reason is a broken stream. The whole rich model travels both
 * ways (images, tool calls and results, DeepSeek-style {@code reasoning_content}, every request option): see
 * {@link OpenAiRequests}, {@link OpenAiAnswers} and {@link OpenAiDeltas}. Thread-safe.
 */
public final class OpenAiProvider implements Provider, RawRelay {
    /** The channel option saying its upstream serves OpenAI's Responses API ({@code POST {baseUrl}/responses}). */
    public static final String RESPONSES_API = "responsesApi";
    private static final ChannelRules CHANNEL_RULES = new HttpChannelRules("https://api.openai.com/v1",
            java.util.Set.of(RESPONSES_API));
    private final UpstreamHttp http;
    private final OpenAiRelay relay;
    private final OpenAiResponsesRelay responses;

    public OpenAiProvider(UpstreamHttp http) {
        this.http = http;
        this.relay = new OpenAiRelay(http);
        this.responses = new OpenAiResponsesRelay(http);
    }

    /**
     * {@code /v1/chat/completions} to this type: the caller's body through unchanged but for the model
     * ({@link OpenAiRelay}); {@code /v1/responses} likewise to {@code {baseUrl}/responses}, for channels whose
     * {@code options.responsesApi} is true ({@link OpenAiResponsesRelay}).
     */
    @Override
    public Answer relay(Upstream upstream, Request request, String upstreamModel, String callerModel, Sink sink,
                        Cancellation cancellation) {
        return switch (request.api()) {
            case CHAT_COMPLETIONS -> relay.relay(upstream, request, upstreamModel, callerModel, sink, cancellation);
            case RESPONSES -> responses.relay(upstream, request, upstreamModel, callerModel, sink, cancellation);
        };
    }

    @Override
    public boolean relays(java.util.Map<String, Object> options, Request request) {
        return switch (request.api()) {
            case CHAT_COMPLETIONS -> true;
            case RESPONSES -> Boolean.TRUE.equals(options.get(RESPONSES_API));
        };
    }

    @Override
    public Completion complete(Upstream upstream, ModelRequest request, Cancellation cancellation) {
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = send(upstream, request, false)) {
            JsonNode body = parse(response.readBody());
            JsonNode choice = OpenAiAnswers.firstChoice(body);
            if (choice == null) {
                throw broken("the response has no choices");
            }
            return OpenAiAnswers.completion(choice, OpenAiAnswers.usage(body));
        }
    }

    @Override
    public void stream(Upstream upstream, ModelRequest request, StreamSink sink, Cancellation cancellation) {
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = send(upstream, request, true)) {
            SseReader events = new SseReader(response.body());
            OpenAiDeltas deltas = new OpenAiDeltas(sink);
            TokenUsage usage = null;
            String finishReason = null;
            SseReader.Event event;
            while ((event = next(events, finishReason != null)) != null) {
                if (event.data().equals("[DONE]")) {
                    sink.accept(new StreamEvent.Done(usage, FinishReason.fromWire(finishReason)));
                    return;
                }
                JsonNode chunk = parse(event.data());
                if (chunk.has("error")) {
                    throw broken("error inside the stream: " + UpstreamFailures.clean(
                            chunk.path("error").path("message").asText("unknown"), upstream.secrets()));
                }
                TokenUsage reported = OpenAiAnswers.usage(chunk);
                if (reported != null) {
                    usage = reported;
                }
                JsonNode choice = OpenAiAnswers.firstChoice(chunk);
                if (choice == null) {
                    continue; // the usage chunk has no choices
                }
                deltas.accept(choice.path("delta"));
                String reason = OpenAiAnswers.finishReason(choice);
                if (reason != null) {
                    finishReason = reason;
                }
            }
            if (finishReason != null) {
                sink.accept(new StreamEvent.Done(usage, FinishReason.fromWire(finishReason)));
                return;
            }
            throw broken("the stream ended before a finish_reason or data: [DONE]");
        }
    }

    /** n above 1, or an image in a tool result (see {@link OpenAiRequests#unsupported}). */
    @Override
    public Optional<String> unsupported(ModelRequest request) {
        return OpenAiRequests.unsupported(request);
    }

    private UpstreamResponse send(Upstream upstream, ModelRequest request, boolean stream) {
        String url = WireSupport.join(upstream.baseUrl(), "/chat/completions");
        byte[] body = Json.write(OpenAiRequests.request(request, stream, OpenAiRequests.takesMaxCompletionTokens(upstream.baseUrl())));
        // Keyless servers (a local Ollama, llama.cpp) get no Authorization header rather than "Bearer null".
        Map<String, String> headers = upstream.apiKey() == null ? Map.of() : Map.of("Authorization", "Bearer " + upstream.apiKey());
        return http.postJson(upstream, url, headers, body, stream);
    }

    @Override
    public ChannelRules channelRules() {
        return CHANNEL_RULES;
    }
}
