package io.chatai.provider.gemini;

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
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import io.chatai.provider.UpstreamFailures;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.UpstreamResponse;
import io.chatai.provider.WireSupport;
import io.chatai.core.Json;
import java.util.Map;

/**
 * Google Gemini ({@code POST {baseUrl}/v1beta/models/{model}:generateContent}, and
 * {@code :streamGenerateContent?alt=sse}). The key travels in {@code x-goog-api-key}, never in the URL,
 * so it cannot leak into access logs. Gemini streams have no {@code [DONE]}: the chunk carrying a
 * {@code finishReason} is the end marker, and a body that ends before one is a broken stream. Thread-safe.
 */
public final class GeminiProvider implements Provider {
    private static final ChannelRules CHANNEL_RULES = new HttpChannelRules("https://generativelanguage.googleapis.com");
    private final UpstreamHttp http;

    public GeminiProvider(UpstreamHttp http) {
        this.http = http;
    }

    @Override
    public Completion complete(Upstream upstream, ModelRequest request, Cancellation cancellation) {
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = send(upstream, request, false)) {
            JsonNode body = parse(response.readBody());
            refuseBlockedPrompt(body);
            if (!GeminiWire.candidate(body).isObject()) {
                throw broken("the response has no candidates");
            }
            return new Completion(GeminiWire.text(body), GeminiWire.usage(body), GeminiWire.finishReason(body));
        }
    }

    @Override
    public void stream(Upstream upstream, ModelRequest request, StreamSink sink, Cancellation cancellation) {
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = send(upstream, request, true)) {
            SseReader events = new SseReader(response.body());
            TokenUsage usage = null;
            SseReader.Event event;
            while ((event = next(events, false)) != null) { // the finish reason is the end: nothing comes after it
                JsonNode chunk = parse(event.data());
                if (chunk.path("error").isObject()) {
                    // An error inside a 200 stream is classified like the status it names.
                    int status = chunk.path("error").path("code").asInt(500);
                    throw new UpstreamException(UpstreamFailures.fromStatus(status, event.data(), null, upstream.secrets()));
                }
                refuseBlockedPrompt(chunk);
                TokenUsage reported = GeminiWire.usage(chunk);
                usage = reported != null ? reported : usage;
                String text = GeminiWire.text(chunk);
                if (!text.isEmpty()) {
                    sink.accept(new StreamEvent.Delta(text));
                }
                String finishReason = GeminiWire.finishReason(chunk);
                if (finishReason != null) {
                    sink.accept(new StreamEvent.Done(usage, finishReason));
                    return;
                }
            }
            throw broken("the stream ended without a finishReason");
        }
    }

    /** A prompt Gemini's filters refused would be refused on every Gemini channel: the request's fault. */
    private static void refuseBlockedPrompt(JsonNode response) {
        String blocked = GeminiWire.blockReason(response);
        if (blocked != null) {
            throw new UpstreamException(new UpstreamError.BadRequest(200, "the prompt was blocked (" + blocked + ")"));
        }
    }

    private UpstreamResponse send(Upstream upstream, ModelRequest request, boolean stream) {
        String model = request.model().startsWith("models/") ? request.model().substring("models/".length()) : request.model();
        String url = WireSupport.join(upstream.baseUrl(), "/v1beta/models/" + GeminiWire.pathSegment(model)
                + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"));
        Map<String, String> headers = upstream.apiKey() == null ? Map.of() : Map.of("x-goog-api-key", upstream.apiKey());
        return http.postJson(upstream, url, headers, Json.write(GeminiWire.request(request)), stream);
    }

    @Override
    public ChannelRules channelRules() {
        return CHANNEL_RULES;
    }
}
