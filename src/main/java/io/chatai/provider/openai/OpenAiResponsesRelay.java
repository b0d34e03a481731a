package io.chatai.provider.openai;

import static io.chatai.provider.WireSupport.broken;
import static io.chatai.provider.WireSupport.next;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Cancellation;
import io.chatai.core.Json;
import io.chatai.core.message.Completion;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.TokenUsage;
import io.chatai.provider.RawRelay;
import io.chatai.provider.SseReader;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamFailures;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.UpstreamResponse;
import io.chatai.provider.WireSupport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI adapter's relay of OpenAI's Responses API, for channels whose {@code options.responsesApi} is true:
 * the caller's body to {@code {baseUrl}/responses} with only {@code model} changed, the answer (and each event's
 * {@code response.model}) back with the name the caller asked for, every other field as the upstream sent it.
 * The answer is read for accounting: text, function calls and reasoning (its {@code encrypted_content} kept as
 * OpenAI's state) as stream events by {@code output_index}, usage from the final response. An {@code error} or
 * {@code response.failed} event is a broken call (not forwarded), so failover and the caller's error work as
 * for any other failure. Thread-safe.
 */
final class OpenAiResponsesRelay {
    private final UpstreamHttp http;

    OpenAiResponsesRelay(UpstreamHttp http) {
        this.http = http;
    }

    RawRelay.Answer relay(Upstream upstream, RawRelay.Request request, String upstreamModel, String callerModel,
                          RawRelay.Sink sink, Cancellation cancellation) {
        byte[] body = RequestEdit.forUpstream(request.body(), false, upstreamModel).getBytes(StandardCharsets.UTF_8);
        String url = WireSupport.join(upstream.baseUrl(), "/responses");
        Map<String, String> headers = upstream.apiKey() == null ? Map.of() : Map.of("Authorization", "Bearer " + upstream.apiKey());
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = http.postJson(upstream, url, headers, body, request.stream())) {
            if (!request.stream()) {
                ObjectNode answer = parse(response.readBody());
                if (!answer.path("output").isArray()) {
                    throw broken("the response has no output");
                }
                answer.put("model", callerModel);
                return new RawRelay.Answer(Json.writeString(answer), completion(answer));
            }
            stream(upstream, response, callerModel, sink);
            return new RawRelay.Answer(null, null);
        }
    }

    private static void stream(Upstream upstream, UpstreamResponse response, String callerModel, RawRelay.Sink sink) {
        SseReader events = new SseReader(response.body());
        JsonNode last = null;
        SseReader.Event event;
        while ((event = next(events, last != null)) != null) {
            ObjectNode data = parse(event.data());
            String type = data.path("type").asText();
            if (type.equals("error") || type.equals("response.failed")) {
                JsonNode error = type.equals("error") ? data : data.path("response").path("error");
                throw broken("error inside the stream: " + UpstreamFailures.clean(error.path("message").asText(type),
                        upstream.secrets()));
            }
            if (data.path("response").isObject()) {
                ((ObjectNode) data.get("response")).put("model", callerModel);
            }
            account(data, type, sink); // accounted (and bounded) before it is forwarded
            sink.forward(Json.writeString(data));
            if (type.equals("response.completed") || type.equals("response.incomplete")) {
                last = data.get("response");
            }
        }
        if (last == null) {
            throw broken("the stream ended before response.completed");
        }
        sink.accept(new StreamEvent.Done(usage(last.path("usage")), finish(last)));
    }

    private static void account(JsonNode data, String type, RawRelay.Sink sink) {
        int part = data.path("output_index").asInt();
        switch (type) {
            case "response.output_item.added" -> {
                JsonNode item = data.path("item");
                if (item.path("type").asText().equals("function_call")) {
                    sink.accept(new StreamEvent.ToolCallDelta(part, item.path("call_id").asText(), item.path("name").asText(), "", null));
                }
            }
            case "response.output_text.delta" -> sink.accept(new StreamEvent.TextDelta(part, data.path("delta").asText()));
            case "response.function_call_arguments.delta" ->
                    sink.accept(new StreamEvent.ToolCallDelta(part, null, null, data.path("delta").asText(), null));
            case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" ->
                    sink.accept(new StreamEvent.ReasoningDelta(part, data.path("delta").asText(), null, null, Part.Reasoning.OPENAI_RESPONSES));
            case "response.output_item.done" -> {
                JsonNode item = data.path("item");
                if (item.path("type").asText().equals("reasoning") && item.path("encrypted_content").isTextual()) {
                    sink.accept(new StreamEvent.ReasoningDelta(part, null, null, item.get("encrypted_content").asText(),
                            Part.Reasoning.OPENAI_RESPONSES));
                }
            }
            default -> {
                // created, in_progress, content parts, the .done events: nothing new to count
            }
        }
    }

    /** A whole answer in the rich model: its items in order, for accounting and for the store. */
    private static Completion completion(JsonNode response) {
        List<Part> parts = new ArrayList<>();
        for (JsonNode item : response.path("output")) {
            switch (item.path("type").asText()) {
                case "message" -> item.path("content").forEach(c -> {
                    if (c.path("text").isTextual()) {
                        parts.add(new Part.Text(c.get("text").asText()));
                    }
                });
                case "function_call" -> parts.add(new Part.ToolCall(item.path("call_id").asText(), item.path("name").asText(),
                        item.path("arguments").asText(), null));
                case "reasoning" -> {
                    StringBuilder text = new StringBuilder();
                    item.path("summary").forEach(s -> text.append(s.path("text").asText()));
                    String encrypted = item.path("encrypted_content").isTextual() ? item.get("encrypted_content").asText() : null;
                    if (!text.isEmpty() || encrypted != null) {
                        parts.add(new Part.Reasoning(text.isEmpty() ? null : text.toString(), null, encrypted,
                                Part.Reasoning.OPENAI_RESPONSES));
                    }
                }
                default -> {
                    // hosted tools' items: the upstream's own, counted by its usage
                }
            }
        }
        return new Completion(parts, finish(response), usage(response.path("usage")));
    }

    private static FinishReason finish(JsonNode response) {
        if (response.path("status").asText().equals("incomplete")) {
            return response.path("incomplete_details").path("reason").asText().equals("content_filter")
                    ? FinishReason.CONTENT_FILTER : FinishReason.LENGTH;
        }
        for (JsonNode item : response.path("output")) {
            if (item.path("type").asText().equals("function_call")) {
                return FinishReason.TOOL_CALLS;
            }
        }
        return FinishReason.STOP;
    }

    private static TokenUsage usage(JsonNode usage) {
        if (!usage.isObject()) {
            return null;
        }
        return new TokenUsage(usage.path("input_tokens").asInt(), usage.path("output_tokens").asInt(),
                usage.path("input_tokens_details").path("cached_tokens").asInt(), 0,
                usage.path("output_tokens_details").path("reasoning_tokens").asInt(), false);
    }

    private static ObjectNode parse(String json) {
        try {
            return Json.parseObject(json);
        } catch (RuntimeException e) {
            throw broken("unparseable JSON from upstream");
        }
    }
}
