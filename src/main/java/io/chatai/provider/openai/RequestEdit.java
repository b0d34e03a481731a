package io.chatai.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The two edits a relayed request gets, made in its text so every other byte reaches the upstream as the
 * caller wrote it (number spellings, escapes, field order, unknown fields): the top-level {@code model}
 * value becomes the channel's model, and a stream asks for {@code stream_options.include_usage} so its
 * usage can be counted. Stateless.
 */
final class RequestEdit {
    private RequestEdit() {
    }

    /** The body for the upstream. The caller's body is a JSON object the gateway has already validated. */
    static String forUpstream(String body, boolean stream, String upstreamModel) {
        int modelStart = -1;
        int modelEnd = -1;
        int optionsStart = -1;
        int optionsEnd = -1;
        int open;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            p.nextToken();
            open = (int) p.currentTokenLocation().getCharOffset();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                int start = (int) p.currentTokenLocation().getCharOffset();
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    p.getText(); // to the closing quote
                } else {
                    p.skipChildren();
                }
                int end = (int) p.currentLocation().getCharOffset();
                if (field.equals("model")) {
                    modelStart = start;
                    modelEnd = end;
                } else if (field.equals("stream_options")) {
                    optionsStart = start;
                    optionsEnd = end;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway passed a body that is not a JSON object", e);
        }
        String model = Json.writeString(upstreamModel);
        if (!stream) {
            return splice(body, modelStart, modelEnd, model);
        }
        if (optionsStart < 0) {
            // Inserted first, so the model's offsets after it move by the insert's length.
            String insert = "\"stream_options\":{\"include_usage\":true},";
            String withOptions = body.substring(0, open + 1) + insert + body.substring(open + 1);
            return splice(withOptions, modelStart + insert.length(), modelEnd + insert.length(), model);
        }
        String options = body.substring(optionsStart, optionsEnd);
        String asked = askForUsage(options);
        if (asked.equals(options)) {
            return splice(body, modelStart, modelEnd, model);
        }
        // Edited from the later field back, so the earlier offsets stay valid.
        if (optionsStart > modelStart) {
            return splice(splice(body, optionsStart, optionsEnd, asked), modelStart, modelEnd, model);
        }
        return splice(splice(body, modelStart, modelEnd, model), optionsStart, optionsEnd, asked);
    }

    /** The caller's stream_options with include_usage true: unchanged text when it already says so. */
    private static String askForUsage(String options) {
        try {
            JsonNode node = Json.tree(options);
            if (node.path("include_usage").asBoolean(false)) {
                return options;
            }
            ObjectNode edited = node.isObject() ? (ObjectNode) node : Json.MAPPER.createObjectNode();
            edited.put("include_usage", true);
            return Json.writeString(edited);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String splice(String text, int start, int end, String replacement) {
        return start < 0 ? text : text.substring(0, start) + replacement + text.substring(end);
    }
}
