package io.chatai.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.chatai.core.Json;

/** How the API shows a tool call: its arguments as JSON, and its tool by the API's name. Stateless. */
public final class ToolArguments {
    private ToolArguments() {
    }

    /** The JSON the model wrote, parsed; its raw text (a JSON string) when it is not valid JSON; {} when empty. */
    public static JsonNode view(String json) {
        if (json == null || json.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException notJson) {
            return TextNode.valueOf(json);
        }
    }

    /** {@code <server>.<tool>} for a name a model called ({@code <server>__<tool>}); any other name as it is. */
    public static String shownName(String modelName) {
        return ToolNames.fromModelName(modelName).map(ToolNames.Name::publicName).orElse(modelName);
    }
}
