package io.chatai.provider.openai;

import static io.chatai.provider.WireSupport.broken;
import static io.chatai.provider.WireSupport.next;
import static io.chatai.provider.WireSupport.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Cancellation;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
import io.chatai.provider.ChannelRules;
import io.chatai.provider.HttpChannelRules;
import io.chatai.provider.Provider;
import io.chatai.provider.SseReader;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.StreamSink;
import io.chatai.core.message.TokenUsage;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamFailures;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.UpstreamResponse;
import io.chatai.provider.WireSupport;
import io.chatai.core.Json;
import java.util.Map;

/**
 * OpenAI chat completions ({@code POST {baseUrl}/chat/completions}), spoken by OpenAI and by most
 * compatible servers (DeepSeek, vLLM, llama.cpp, Ollama's {@code /v1}). Streams ask for
 * {@code stream_options.include_usage} so usage is reported. A stream ends at {@code data: [DONE]}, or
 * where the body ends after a chunk with a {@code finish_reason}: several compatible servers never send
 * {@code [DONE]}. A body that ends before any finish reason is a broken stream. Thread-safe.
 */
public final class OpenAiProvider implements Provider {
    private static final ChannelRules CHANNEL_RULES = new HttpChannelRules("https://api.openai.com/v1");
    private final UpstreamHttp http;

    public OpenAiProvider(UpstreamHttp http) {
        this.http = http;
    }

    @Override
    public Completion complete(Upstream upstream, ModelRequest request, Cancellation cancellation) {
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = send(upstream, request, false)) {
            JsonNode body = parse(response.readBody());
            JsonNode choice = body.path("choices").path(0);
            if (choice.isMissingNode()) {
                throw broken("the response has no choices");
            }
            JsonNode content = choice.path("message").path("content");
            return new Completion(content.isTextual() ? content.textValue() : "", OpenAiWire.usage(body),
                    OpenAiWire.finishReason(choice));
        }
    }

    @Override
    public void stream(Upstream upstream, ModelRequest request, StreamSink sink, Cancellation cancellation) {
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = send(upstream, request, true)) {
            SseReader events = new SseReader(response.body());
            TokenUsage usage = null;
            String finishReason = null;
            SseReader.Event event;
            while ((event = next(events, finishReason != null)) != null) {
                if (event.data().equals("[DONE]")) {
                    sink.accept(new StreamEvent.Done(usage, finishReason));
                    return;
                }
                JsonNode chunk = parse(event.data());
                if (chunk.has("error")) {
                    throw broken("error inside the stream: " + UpstreamFailures.clean(
                            chunk.path("error").path("message").asText("unknown"), upstream.secrets()));
                }
                TokenUsage reported = OpenAiWire.usage(chunk);
                if (reported != null) {
                    usage = reported;
                }
                JsonNode choice = chunk.path("choices").path(0);
                String reason = OpenAiWire.finishReason(choice);
                if (reason != null) {
                    finishReason = reason;
                }
                JsonNode content = choice.path("delta").path("content");
                if (content.isTextual() && !content.textValue().isEmpty()) {
                    sink.accept(new StreamEvent.Delta(content.textValue()));
                }
            }
            if (finishReason != null) {
                sink.accept(new StreamEvent.Done(usage, finishReason));
                return;
            }
            throw broken("the stream ended before a finish_reason or data: [DONE]");
        }
    }

    private UpstreamResponse send(Upstream upstream, ModelRequest request, boolean stream) {
        String url = WireSupport.join(upstream.baseUrl(), "/chat/completions");
        byte[] body = Json.write(OpenAiWire.request(request, stream));
        // Keyless servers (a local Ollama, llama.cpp) get no Authorization header rather than "Bearer null".
        Map<String, String> headers = upstream.apiKey() == null ? Map.of() : Map.of("Authorization", "Bearer " + upstream.apiKey());
        return http.postJson(upstream, url, headers, body, stream);
    }

    @Override
    public ChannelRules channelRules() {
        return CHANNEL_RULES;
    }
}
