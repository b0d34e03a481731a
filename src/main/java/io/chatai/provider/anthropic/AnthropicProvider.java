package io.chatai.provider.anthropic;

import static io.chatai.provider.WireSupport.broken;
import static io.chatai.provider.WireSupport.next;
import static io.chatai.provider.WireSupport.parse;
import static io.chatai.provider.WireSupport.text;

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
import io.chatai.provider.UpstreamException;
import io.chatai.provider.UpstreamFailures;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.UpstreamResponse;
import io.chatai.provider.WireSupport;
import io.chatai.core.Json;
import java.util.Map;

/**
 * Anthropic Messages ({@code POST {baseUrl}/v1/messages} with {@code x-api-key} and
 * {@code anthropic-version}). A stream ends at {@code message_stop}, or where the body ends after the
 * {@code message_delta} carrying the {@code stop_reason}; one that ends before a stop reason is broken.
 * An {@code error} event is classified like the HTTP status Anthropic gives that error type. Text blocks
 * only. Thread-safe.
 */
public final class AnthropicProvider implements Provider {
    private static final ChannelRules CHANNEL_RULES = new HttpChannelRules("https://api.anthropic.com");
    private final UpstreamHttp http;

    public AnthropicProvider(UpstreamHttp http) {
        this.http = http;
    }

    @Override
    public Completion complete(Upstream upstream, ModelRequest request, Cancellation cancellation) {
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = send(upstream, request, false)) {
            JsonNode message = parse(response.readBody());
            if (!message.path("content").isArray()) {
                throw broken("the response has no content");
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode block : message.path("content")) {
                if ("text".equals(text(block, "type")) && text(block, "text") != null) {
                    text.append(text(block, "text"));
                }
            }
            return new Completion(text.toString(), AnthropicWire.usage(message), text(message, "stop_reason"));
        }
    }

    @Override
    public void stream(Upstream upstream, ModelRequest request, StreamSink sink, Cancellation cancellation) {
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = send(upstream, request, true)) {
            SseReader events = new SseReader(response.body());
            int input = 0;
            int output = 0;
            boolean usageSeen = false;
            String stopReason = null;
            SseReader.Event event;
            while ((event = next(events, stopReason != null)) != null) {
                JsonNode data = parse(event.data());
                String type = text(data, "type") != null ? text(data, "type") : String.valueOf(event.name());
                switch (type) {
                    case "message_start" -> {
                        JsonNode usage = data.path("message").path("usage");
                        if (usage.path("input_tokens").isNumber()) {
                            usageSeen = true;
                            input = AnthropicWire.inputTokens(usage);
                            output = usage.path("output_tokens").asInt();
                        }
                    }
                    case "content_block_start" -> emit(sink, data.path("content_block"));
                    case "content_block_delta" -> emit(sink, data.path("delta"));
                    case "message_delta" -> {
                        stopReason = text(data.path("delta"), "stop_reason") != null
                                ? text(data.path("delta"), "stop_reason") : stopReason;
                        JsonNode usage = data.path("usage");
                        // Both counts are cumulative; newer API versions also repeat the input here.
                        if (usage.path("output_tokens").isNumber()) {
                            output = usage.path("output_tokens").asInt();
                        }
                        if (usage.path("input_tokens").isNumber()) {
                            usageSeen = true;
                            input = AnthropicWire.inputTokens(usage);
                        }
                    }
                    case "message_stop" -> {
                        sink.accept(new StreamEvent.Done(usageSeen ? new TokenUsage(input, output, false) : null, stopReason));
                        return;
                    }
                    case "error" -> throw failure(upstream, data);
                    default -> {
                        // ping, content_block_stop and event types added later carry no text
                    }
                }
            }
            if (stopReason != null) {
                // The answer and its usage are complete; only message_stop is missing.
                sink.accept(new StreamEvent.Done(usageSeen ? new TokenUsage(input, output, false) : null, stopReason));
                return;
            }
            throw broken("the stream ended before a stop_reason or message_stop");
        }
    }

    /** Forwards a text block's start or a text delta; thinking and tool-use blocks are not text. */
    private static void emit(StreamSink sink, JsonNode part) {
        String kind = text(part, "type");
        String text = text(part, "text");
        if (("text".equals(kind) || "text_delta".equals(kind)) && text != null && !text.isEmpty()) {
            sink.accept(new StreamEvent.Delta(text));
        }
    }

    private static UpstreamException failure(Upstream upstream, JsonNode data) {
        int status = AnthropicWire.statusOf(text(data.path("error"), "type"));
        return new UpstreamException(UpstreamFailures.fromStatus(status, data.toString(), null, upstream.secrets()));
    }

    private UpstreamResponse send(Upstream upstream, ModelRequest request, boolean stream) {
        byte[] body = Json.write(AnthropicWire.request(request, stream));
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
