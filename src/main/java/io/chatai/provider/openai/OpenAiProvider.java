package io.chatai.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.provider.Cancellation;
import io.chatai.provider.Completion;
import io.chatai.provider.ModelRequest;
import io.chatai.provider.Provider;
import io.chatai.provider.SseReader;
import io.chatai.provider.StreamEvent;
import io.chatai.provider.StreamSink;
import io.chatai.provider.TokenUsage;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import io.chatai.provider.UpstreamFailures;
import io.chatai.provider.UpstreamHttp;
import io.chatai.web.Json;
import io.helidon.webclient.api.HttpClientResponse;
import java.io.IOException;
import java.util.Map;

/**
 * OpenAI chat completions ({@code POST {baseUrl}/chat/completions}), spoken by OpenAI and by most
 * compatible servers (DeepSeek, vLLM, llama.cpp, Ollama's {@code /v1}). Streams ask for
 * {@code stream_options.include_usage} so usage is reported, and only {@code data: [DONE]} ends a stream.
 * Thread-safe.
 */
public final class OpenAiProvider implements Provider {
    private final UpstreamHttp http;

    public OpenAiProvider(UpstreamHttp http) {
        this.http = http;
    }

    @Override
    public Completion complete(Upstream upstream, ModelRequest request, Cancellation cancellation) {
        try (var interrupt = cancellation.interruptCurrentThread();
             HttpClientResponse response = send(upstream, request, false)) {
            JsonNode body = parse(UpstreamHttp.readBody(response));
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
             HttpClientResponse response = send(upstream, request, true)) {
            SseReader events = new SseReader(response.inputStream());
            TokenUsage usage = null;
            String finishReason = null;
            SseReader.Event event;
            while ((event = next(events)) != null) {
                if (event.data().equals("[DONE]")) {
                    sink.accept(new StreamEvent.Done(usage, finishReason));
                    return;
                }
                JsonNode chunk = parse(event.data());
                if (chunk.has("error")) {
                    throw broken("error inside the stream: " + UpstreamFailures.scrub(
                            chunk.path("error").path("message").asText("unknown"), upstream.apiKey()));
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
            throw broken("the stream ended without data: [DONE]");
        }
    }

    private HttpClientResponse send(Upstream upstream, ModelRequest request, boolean stream) {
        String url = stripSlash(upstream.baseUrl()) + "/chat/completions";
        byte[] body = Json.write(OpenAiWire.request(request, stream));
        return http.postJson(upstream, url, Map.of("Authorization", "Bearer " + upstream.apiKey()), body, stream);
    }

    private static SseReader.Event next(SseReader events) {
        try {
            return events.next();
        } catch (IOException | RuntimeException e) {
            throw new UpstreamException(UpstreamFailures.fromTransport(e, true), e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.tree(json);
        } catch (IOException e) {
            throw broken("unparseable JSON from upstream");
        }
    }

    private static UpstreamException broken(String reason) {
        return new UpstreamException(new UpstreamError.BrokenStream(reason));
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
