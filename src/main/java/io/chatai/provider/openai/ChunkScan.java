package io.chatai.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.chatai.core.Json;
import io.chatai.core.message.TokenUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One OpenAI chat-completions JSON text (a whole answer or one stream chunk) read in a single pass over its
 * tokens, without building a tree: where its top-level {@code model} value is (so it can be rewritten in the
 * text), and what the relay accounts for (each choice's text, reasoning, refusal and tool-call pieces, the
 * finish reason, usage, an in-stream error). Everything else is skipped unread. Stateless.
 */
final class ChunkScan {
    private ChunkScan() {
    }

    /** A piece of one choice's answer. {@code kind}: text, reasoning or tool (with its index, id, name). */
    record Piece(int choice, Kind kind, int tool, String id, String name, String text) {
    }

    enum Kind { TEXT, REASONING, TOOL }

    /**
     * @param modelStart   where the top-level {@code model} string starts (its opening quote), or -1
     * @param modelEnd     just after its closing quote
     * @param choices      whether a non-empty {@code choices} array is present
     * @param hasChoices   whether a {@code choices} field is present at all
     * @param finishReason the first choice's finish reason (or any choice's), or null
     * @param usage        the reported usage, or null
     * @param error        an {@code error} object's message ("unknown" without one), or null when there is none
     */
    record Scanned(int modelStart, int modelEnd, boolean choices, boolean hasChoices, String finishReason,
                   TokenUsage usage, String error, List<Piece> pieces) {
        /** A chunk with only usage in it: the one OpenAI sends last when {@code include_usage} is asked. */
        boolean usageOnly() {
            return usage != null && !choices;
        }

        /** The text with its {@code model} value replaced by an already quoted JSON string. */
        String withModel(String text, String quotedModel) {
            return modelStart < 0 ? text : text.substring(0, modelStart) + quotedModel + text.substring(modelEnd);
        }
    }

    static Scanned scan(String json) throws IOException {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            int modelStart = -1;
            int modelEnd = -1;
            boolean choices = false;
            boolean hasChoices = false;
            String[] finish = {null};
            TokenUsage usage = null;
            String error = null;
            List<Piece> pieces = new ArrayList<>(2);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "model" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            modelStart = (int) p.currentTokenLocation().getCharOffset();
                            p.getText(); // reads the string to its end, so the location is after its closing quote
                            modelEnd = (int) p.currentLocation().getCharOffset();
                        }
                    }
                    case "choices" -> {
                        hasChoices = true;
                        if (value == JsonToken.START_ARRAY) {
                            int position = 0;
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                choice(p, position++, pieces, finish);
                                choices = true;
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "usage" -> usage = value == JsonToken.START_OBJECT ? usage(p) : null;
                    case "error" -> {
                        if (value != JsonToken.VALUE_NULL) {
                            error = value == JsonToken.START_OBJECT ? errorMessage(p) : "unknown";
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return new Scanned(modelStart, modelEnd, choices, hasChoices, finish[0], usage, error, pieces);
        }
    }

    /** One choice object, the parser on its START_OBJECT; leaves it on the matching END_OBJECT. */
    private static void choice(JsonParser p, int position, List<Piece> pieces, String[] finish) throws IOException {
        int index = position;
        int first = pieces.size();
        String reason = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : index;
                case "finish_reason" -> reason = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "delta", "message" -> {
                    if (value == JsonToken.START_OBJECT) {
                        message(p, position, pieces);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (index != position) { // pieces were read before "index": renumber them
            for (int i = first; i < pieces.size(); i++) {
                Piece piece = pieces.get(i);
                pieces.set(i, new Piece(index, piece.kind(), piece.tool(), piece.id(), piece.name(), piece.text()));
            }
        }
        if (reason != null && (finish[0] == null || index == 0)) {
            finish[0] = reason;
        }
    }

    private static void message(JsonParser p, int choice, List<Piece> pieces) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "content", "refusal" -> text(p, value, choice, Kind.TEXT, pieces);
                case "reasoning_content", "reasoning" -> text(p, value, choice, Kind.REASONING, pieces);
                case "tool_calls" -> {
                    if (value == JsonToken.START_ARRAY) {
                        int position = 0;
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            toolCall(p, choice, position++, pieces);
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static void text(JsonParser p, JsonToken value, int choice, Kind kind, List<Piece> pieces) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            String text = p.getText();
            if (!text.isEmpty()) {
                pieces.add(new Piece(choice, kind, 0, null, null, text));
            }
        } else {
            p.skipChildren();
        }
    }

    private static void toolCall(JsonParser p, int choice, int position, List<Piece> pieces) throws IOException {
        int index = position;
        String id = null;
        String name = null;
        String arguments = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : index;
                case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "function" -> {
                    if (value != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        break;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        JsonToken innerValue = p.nextToken();
                        if (innerValue == JsonToken.VALUE_STRING && inner.equals("name")) {
                            name = p.getText();
                        } else if (innerValue == JsonToken.VALUE_STRING && inner.equals("arguments")) {
                            arguments = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        pieces.add(new Piece(choice, Kind.TOOL, index, id, name, arguments));
    }

    private static TokenUsage usage(JsonParser p) throws IOException {
        Integer prompt = null;
        int completion = 0;
        int cached = 0;
        int reasoning = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "prompt_tokens" -> prompt = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : null;
                case "completion_tokens" -> completion = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
                case "prompt_tokens_details" -> cached = detail(p, value, "cached_tokens");
                case "completion_tokens_details" -> reasoning = detail(p, value, "reasoning_tokens");
                default -> p.skipChildren();
            }
        }
        return prompt == null ? null : new TokenUsage(prompt, completion, cached, 0, reasoning, false);
    }

    private static int detail(JsonParser p, JsonToken value, String wanted) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return 0;
        }
        int found = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_NUMBER_INT && field.equals(wanted)) {
                found = p.getIntValue();
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static String errorMessage(JsonParser p) throws IOException {
        String message = "unknown";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING && field.equals("message")) {
                message = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return message;
    }
}
