package io.chatai.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.core.Secrets;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.StreamSink;
import io.chatai.provider.WireSupport;

/**
 * Reads the first candidate's parts, of a whole answer or of each streamed chunk, into {@link StreamEvent}s
 * numbered by part. Streamed pieces of text (or of thought) continue the open text (or thought) part; a
 * function call arrives whole and is a part of its own, with an id made up here ({@code call_…}) unless
 * Gemini gave one. A {@code thoughtSignature} on a thought ends that reasoning part; on a text part (or on the
 * empty part a stream may end with) it becomes a reasoning part of its own right after the text, which
 * {@link GeminiContents} puts back on that text part. Not thread-safe: one per call.
 */
final class GeminiAnswer {
    private enum Open { NONE, TEXT, THOUGHT }

    private final StreamSink sink;
    private int parts;
    private Open open = Open.NONE;
    private int openPart;
    private boolean calls;

    GeminiAnswer(StreamSink sink) {
        this.sink = sink;
    }

    /** Passes on the parts of one response or chunk. */
    void read(JsonNode response) {
        for (JsonNode part : GeminiWire.candidate(response).path("content").path("parts")) {
            String signature = WireSupport.text(part, "thoughtSignature");
            if (part.path("functionCall").isObject()) {
                call(part.path("functionCall"), signature);
            } else if (part.has("text") || signature != null) {
                String text = part.path("text").isTextual() ? part.path("text").textValue() : "";
                if (part.path("thought").asBoolean(false)) {
                    thought(text, signature);
                } else {
                    text(text, signature);
                }
            }
        }
    }

    /** Gemini's reason in OpenAI's words; a {@code STOP} after function calls is {@link FinishReason#TOOL_CALLS}. */
    FinishReason finish(String reason) {
        FinishReason finish = GeminiWire.finish(reason);
        return finish == FinishReason.STOP && calls ? FinishReason.TOOL_CALLS : finish;
    }

    private void call(JsonNode call, String signature) {
        open = Open.NONE;
        calls = true;
        String id = WireSupport.text(call, "id");
        String name = WireSupport.text(call, "name");
        JsonNode args = call.path("args");
        sink.accept(new StreamEvent.ToolCallDelta(parts++, id == null || id.isBlank() ? Secrets.newToken("call_", 24) : id,
                name == null ? "" : name, args.isObject() ? Json.writeString(args) : "{}", signature));
    }

    private void text(String text, String signature) {
        if (!text.isEmpty()) {
            if (open != Open.TEXT) {
                open = Open.TEXT;
                openPart = parts++;
            }
            sink.accept(new StreamEvent.TextDelta(openPart, text));
        }
        if (signature != null) {
            open = Open.NONE;
            sink.accept(new StreamEvent.ReasoningDelta(parts++, null, signature, null, Part.Reasoning.GEMINI));
        }
    }

    private void thought(String text, String signature) {
        if (text.isEmpty() && signature == null) {
            return;
        }
        if (open != Open.THOUGHT) {
            open = Open.THOUGHT;
            openPart = parts++;
        }
        sink.accept(new StreamEvent.ReasoningDelta(openPart, text.isEmpty() ? null : text, signature, null, Part.Reasoning.GEMINI));
        if (signature != null) {
            open = Open.NONE; // a second signature must not be glued onto this one
        }
    }
}
