package io.chatai.provider.anthropic;

import static io.chatai.provider.WireSupport.broken;
import static io.chatai.provider.WireSupport.next;
import static io.chatai.provider.WireSupport.parse;
import static io.chatai.provider.WireSupport.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Cancellation;
import io.chatai.core.Json;
import io.chatai.core.message.Completion;
import io.chatai.provider.BodyFields;
import io.chatai.provider.RawRelay;
import io.chatai.provider.SseReader;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import io.chatai.provider.UpstreamFailures;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.UpstreamResponse;
import io.chatai.provider.WireSupport;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The Anthropic adapter's relay of {@code /v1/messages} requests: the caller's body goes to
 * {@code {baseUrl}/v1/messages} with only its top-level {@code model} changed (in the text, so every other
 * byte is the caller's: {@code cache_control}, betas' fields, unknown ones), with the caller's
 * {@code anthropic-version} (or ours) and {@code anthropic-beta}; the answer and every stream event come back
 * as the upstream sent them, each event read once for the accounting. Also counts input tokens through
 * {@code /v1/messages/count_tokens}. Thread-safe.
 */
final class AnthropicRelay {
    /** A count_tokens answer is a few bytes; anything longer is not one. */
    private static final int MAX_COUNT_BODY = 64 * 1024;
    private final UpstreamHttp http;

    AnthropicRelay(UpstreamHttp http) {
        this.http = http;
    }

    RawRelay.Answer relay(Upstream upstream, RawRelay.Request request, String upstreamModel, RawRelay.Sink sink,
                          Cancellation cancellation) {
        byte[] body = BodyFields.withModel(request.body(), upstreamModel).getBytes(StandardCharsets.UTF_8);
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = http.postJson(upstream, WireSupport.join(upstream.baseUrl(), "/v1/messages"),
                     headers(upstream, request.headers()), body, request.stream())) {
            if (!request.stream()) {
                String answer = response.readBody();
                JsonNode message = parse(answer);
                if (!message.path("content").isArray()) {
                    throw broken("the response has no content");
                }
                return new RawRelay.Answer(answer, new Completion(AnthropicAnswer.parts(message.path("content")),
                        AnthropicWire.finishReason(text(message, "stop_reason")), AnthropicWire.usage(message.path("usage"))));
            }
            stream(upstream, response, sink);
            return new RawRelay.Answer(null, null);
        }
    }

    private static void stream(Upstream upstream, UpstreamResponse response, RawRelay.Sink sink) {
        SseReader events = new SseReader(response.body());
        AnthropicStream answer = new AnthropicStream(sink); // accounted (and bounded) before each event is forwarded
        SseReader.Event event;
        while ((event = next(events, answer.finished())) != null) {
            JsonNode data = parse(event.data());
            String type = text(data, "type") != null ? text(data, "type") : String.valueOf(event.name());
            if (type.equals("error")) {
                // Not forwarded: the router may still fail over, and the front reports it in Anthropic's shape.
                int status = AnthropicWire.statusOf(text(data.path("error"), "type"));
                throw new UpstreamException(UpstreamFailures.fromStatus(status, data.toString(), null, upstream.secrets()));
            }
            boolean ended = answer.accept(type, data);
            sink.forward(event.name() != null ? event.name() : type, event.data());
            if (ended) {
                return;
            }
        }
        if (answer.finished()) {
            answer.done();
            return;
        }
        throw broken("the stream ended before a stop_reason or message_stop");
    }

    OptionalInt countInputTokens(Upstream upstream, String body, String upstreamModel, Map<String, String> callerHeaders,
                                 Cancellation cancellation) {
        byte[] bytes = BodyFields.withModel(body, upstreamModel).getBytes(StandardCharsets.UTF_8);
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = http.postJson(upstream, WireSupport.join(upstream.baseUrl(), "/v1/messages/count_tokens"),
                     headers(upstream, callerHeaders), bytes, false)) {
            JsonNode answer = parse(response.readBody(MAX_COUNT_BODY));
            if (!answer.path("input_tokens").canConvertToInt() || answer.path("input_tokens").asInt() < 0) {
                throw broken("the count_tokens answer has no input_tokens");
            }
            return OptionalInt.of(answer.path("input_tokens").asInt());
        } catch (UpstreamException e) {
            if (e.error() instanceof UpstreamError.NotFound) {
                return OptionalInt.empty(); // an Anthropic-compatible server without the endpoint
            }
            throw e;
        }
    }

    private static Map<String, String> headers(Upstream upstream, Map<String, String> caller) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (upstream.apiKey() != null) {
            headers.put("x-api-key", upstream.apiKey());
        }
        headers.put("anthropic-version", caller.getOrDefault("anthropic-version", AnthropicWire.VERSION));
        if (caller.containsKey("anthropic-beta")) {
            headers.put("anthropic-beta", caller.get("anthropic-beta"));
        }
        return headers;
    }
}
