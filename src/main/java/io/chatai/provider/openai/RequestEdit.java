package io.chatai.provider.openai;

import static io.chatai.provider.BodyFields.splice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import io.chatai.provider.BodyFields;
import io.chatai.provider.BodyFields.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

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
        if (!stream) {
            return BodyFields.withModel(body, upstreamModel);
        }
        String model = Json.writeString(upstreamModel);
        BodyFields fields = BodyFields.of(body, Set.of("model", "stream_options"));
        Span modelSpan = fields.spans().get("model");
        Span optionsSpan = fields.spans().get("stream_options");
        if (optionsSpan == null) {
            // Inserted first, so the model's offsets after it move by the insert's length.
            String insert = "\"stream_options\":{\"include_usage\":true},";
            String withOptions = body.substring(0, fields.open() + 1) + insert + body.substring(fields.open() + 1);
            return splice(withOptions, modelSpan == null ? null : modelSpan.shifted(insert.length()), model);
        }
        String options = body.substring(optionsSpan.start(), optionsSpan.end());
        String asked = askForUsage(options);
        if (asked.equals(options)) {
            return splice(body, modelSpan, model);
        }
        // Edited from the later field back, so the earlier offsets stay valid.
        if (modelSpan == null || optionsSpan.start() > modelSpan.start()) {
            return splice(splice(body, optionsSpan, asked), modelSpan, model);
        }
        return splice(splice(body, modelSpan, model), optionsSpan, asked);
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
}
