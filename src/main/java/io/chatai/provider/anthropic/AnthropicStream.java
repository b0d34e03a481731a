package io.chatai.provider.anthropic;

import static io.chatai.provider.WireSupport.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.message.Part;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.StreamSink;

/**
 * Turns one Anthropic stream's events into {@link StreamEvent}s: each content block is a part whose index
 * is Anthropic's block index; {@code text_delta}, {@code thinking_delta} and {@code signature_delta},
 * {@code input_json_delta} become text, reasoning and tool-call deltas (a tool call's id and name with its
 * {@code content_block_start}); usage comes from {@code message_start} and the cumulative counts of
 * {@code message_delta}. Not thread-safe: one per stream.
 */
final class AnthropicStream {
    private final StreamSink sink;
    /** The four counts Anthropic reports, as last seen (only these: an upstream's other fields are not kept). */
    private final ObjectNode usage = JsonNodeFactory.instance.objectNode();
    private String stopReason;

    AnthropicStream(StreamSink sink) {
        this.sink = sink;
    }

    /** Whether the answer has its stop reason (after which only the end marker is owed). */
    boolean finished() {
        return stopReason != null;
    }

    /** Handles one event other than {@code error}; true at {@code message_stop}, after {@link StreamEvent.Done}. */
    boolean accept(String type, JsonNode data) {
        switch (type) {
            case "message_start" -> mergeUsage(data.path("message").path("usage"));
            case "content_block_start" -> start(data.path("index").asInt(), data.path("content_block"));
            case "content_block_delta" -> delta(data.path("index").asInt(), data.path("delta"));
            case "message_delta" -> {
                String reason = text(data.path("delta"), "stop_reason");
                stopReason = reason != null ? reason : stopReason;
                mergeUsage(data.path("usage"));
            }
            case "message_stop" -> {
                done();
                return true;
            }
            default -> {
                // ping, content_block_stop, and event types added later
            }
        }
        return false;
    }

    /** Ends the answer: after {@code message_stop}, or where the body ended once the stop reason was known. */
    void done() {
        sink.accept(new StreamEvent.Done(AnthropicWire.usage(usage), AnthropicWire.finishReason(stopReason)));
    }

    private void start(int index, JsonNode block) {
        String kind = String.valueOf(text(block, "type"));
        switch (kind) {
            case "text" -> textDelta(index, text(block, "text"));
            case "thinking" -> reasoning(index, nonEmpty(text(block, "thinking")), nonEmpty(text(block, "signature")), null);
            case "redacted_thinking" -> reasoning(index, null, null, text(block, "data"));
            case "tool_use" -> {
                JsonNode input = block.path("input");
                // Anthropic opens with "input": {} and streams the arguments; a whole input here is the arguments.
                String arguments = input.isObject() && !input.isEmpty() ? input.toString() : null;
                sink.accept(new StreamEvent.ToolCallDelta(index, text(block, "id"), text(block, "name"), arguments, null));
            }
            default -> {
                // server tool blocks and types added later carry no part of the model's answer
            }
        }
    }

    private void delta(int index, JsonNode delta) {
        switch (String.valueOf(text(delta, "type"))) {
            case "text_delta" -> textDelta(index, text(delta, "text"));
            case "thinking_delta" -> reasoning(index, nonEmpty(text(delta, "thinking")), null, null);
            case "signature_delta" -> reasoning(index, null, nonEmpty(text(delta, "signature")), null);
            case "input_json_delta" -> {
                String fragment = text(delta, "partial_json");
                if (fragment != null && !fragment.isEmpty()) {
                    sink.accept(new StreamEvent.ToolCallDelta(index, null, null, fragment, null));
                }
            }
            default -> {
                // citations_delta and types added later
            }
        }
    }

    private void textDelta(int index, String text) {
        if (text != null && !text.isEmpty()) {
            sink.accept(new StreamEvent.TextDelta(index, text));
        }
    }

    private void reasoning(int index, String text, String signature, String redacted) {
        if (text != null || signature != null || redacted != null) {
            sink.accept(new StreamEvent.ReasoningDelta(index, text, signature, redacted, Part.Reasoning.ANTHROPIC));
        }
    }

    /** Counts are cumulative: later ones replace earlier ones, counts left out keep their value. */
    private void mergeUsage(JsonNode update) {
        for (String field : AnthropicWire.USAGE_FIELDS) {
            if (update.path(field).isNumber()) {
                usage.put(field, update.path(field).asInt());
            }
        }
    }

    private static String nonEmpty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
