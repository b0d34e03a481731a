package io.chatai.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.Part;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.StreamSink;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the {@code delta} of each stream chunk into {@link StreamEvent}s, numbering the answer's parts in the order
 * they first appear: the reasoning, the text, and each tool call get a part of their own. A tool call is known by
 * its wire {@code index} (its position in the array when a server leaves the index out); a delta at a known index
 * that brings a new id and a name starts a new call, because Ollama numbers every call of a parallel batch 0, while
 * a new id without a name continues the call (LM Studio and Kimi repeat a fresh id on each fragment). A call whose
 * server gave it no id gets one here, so its first event always has one. Not thread-safe: one per stream.
 */
final class OpenAiDeltas {
    private final StreamSink sink;
    private final Map<Integer, Call> calls = new HashMap<>();
    private int nextPart;
    private int reasoningPart = -1;
    private int textPart = -1;

    private static final class Call {
        final int part;
        final String id;

        Call(int part, String id) {
            this.part = part;
            this.id = id;
        }
    }

    OpenAiDeltas(StreamSink sink) {
        this.sink = sink;
    }

    /** One chunk's {@code choices[0].delta}: reasoning first, then text, then tool calls, as a model produces them. */
    void accept(JsonNode delta) {
        String reasoning = OpenAiAnswers.reasoning(delta);
        if (reasoning != null) {
            if (reasoningPart < 0) {
                reasoningPart = nextPart++;
            }
            sink.accept(new StreamEvent.ReasoningDelta(reasoningPart, reasoning, null, null, Part.Reasoning.OPENAI));
        }
        String text = OpenAiAnswers.nonEmpty(delta.path("content"));
        if (text == null) {
            text = OpenAiAnswers.nonEmpty(delta.path("refusal"));
        }
        if (text != null) {
            if (textPart < 0) {
                textPart = nextPart++;
            }
            sink.accept(new StreamEvent.TextDelta(textPart, text));
        }
        JsonNode toolCalls = delta.path("tool_calls");
        for (int position = 0; position < toolCalls.size(); position++) {
            toolCall(toolCalls.get(position), position);
        }
    }

    private void toolCall(JsonNode wire, int position) {
        int index = wire.path("index").isInt() ? wire.path("index").intValue() : position;
        String id = OpenAiAnswers.nonEmpty(wire.path("id"));
        String name = OpenAiAnswers.nonEmpty(wire.path("function").path("name"));
        String arguments = OpenAiAnswers.arguments(wire.path("function").path("arguments"));
        if (arguments != null && arguments.isEmpty()) {
            arguments = null;
        }
        Call call = calls.get(index);
        if (call == null || id != null && name != null && !id.equals(call.id)) {
            call = new Call(nextPart++, id == null ? OpenAiAnswers.newCallId() : id);
            calls.put(index, call);
            sink.accept(new StreamEvent.ToolCallDelta(call.part, call.id, name, arguments, null));
        } else if (arguments != null || name != null) {
            sink.accept(new StreamEvent.ToolCallDelta(call.part, null, name, arguments, null));
        }
    }
}
