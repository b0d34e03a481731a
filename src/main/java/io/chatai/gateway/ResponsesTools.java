package io.chatai.gateway;

import static io.chatai.gateway.Params.absent;
import static io.chatai.gateway.Params.bool;
import static io.chatai.gateway.Params.requiredString;
import static io.chatai.gateway.Params.string;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.ToolChoice;
import io.chatai.core.message.ToolSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tools, tool choice and text format of a Responses request. Function tools are offered; a
 * {@code namespace} tool is offered as the function tools it groups (its calls name the namespace again).
 * Every other tool type is one the server cannot run (hosted tools such as {@code web_search},
 * {@code file_search}, {@code code_interpreter}, {@code computer_use}, {@code image_generation}, and
 * {@code custom}/{@code local_shell} tools no translated provider knows): it is not offered, and its type is
 * listed in {@link #omitted} for the {@code X-ChatAI-Omitted-Tools} header, so a client's default tool list
 * still works. A {@code tool_choice} that requires an omitted tool is a 400. Immutable.
 *
 * @param namespaces the namespace of each function offered from a {@code namespace} tool, by function name
 */
record ResponsesTools(List<ToolSpec> specs, ToolChoice choice, ResponseFormat format, Set<String> omitted,
                      Map<String, String> namespaces) {
    private static final int MAX_TOOLS = 512;

    static ResponsesTools parse(JsonNode raw) {
        List<ToolSpec> specs = new ArrayList<>();
        Set<String> omitted = new LinkedHashSet<>();
        Map<String, String> namespaces = new HashMap<>();
        JsonNode tools = raw.get("tools");
        if (!absent(tools)) {
            if (!tools.isArray()) {
                throw Params.wrongType("tools", "an array", tools);
            }
            if (tools.size() > MAX_TOOLS) {
                throw Params.invalid("tools", "Invalid 'tools': at most " + MAX_TOOLS + " tools, got " + tools.size() + ".");
            }
            for (int i = 0; i < tools.size(); i++) {
                JsonNode tool = tools.get(i);
                String at = "tools[" + i + "]";
                switch (ContentParts.type(tool, at)) {
                    case "function" -> specs.add(function(tool, at));
                    case "namespace" -> {
                        String namespace = requiredString(tool.get("name"), at + ".name", 256);
                        JsonNode grouped = tool.get("tools");
                        if (absent(grouped) || !grouped.isArray()) {
                            throw Params.wrongType(at + ".tools", "an array", grouped == null ? Json.MAPPER.nullNode() : grouped);
                        }
                        for (int j = 0; j < grouped.size(); j++) {
                            String inner = at + ".tools[" + j + "]";
                            String type = ContentParts.type(grouped.get(j), inner);
                            if (!type.equals("function")) {
                                omitted.add(namespace + "." + type);
                                continue;
                            }
                            ToolSpec spec = function(grouped.get(j), inner);
                            namespaces.put(spec.name(), namespace);
                            specs.add(spec);
                        }
                    }
                    default -> omitted.add(tool.get("type").asText());
                }
            }
        }
        Set<String> names = new java.util.HashSet<>();
        for (ToolSpec spec : specs) {
            if (!names.add(spec.name())) {
                throw Params.invalid("tools", "Invalid 'tools': two tools are named '" + spec.name() + "'.");
            }
        }
        return new ResponsesTools(List.copyOf(specs), choice(raw.get("tool_choice"), names), format(raw.get("text")),
                omitted, Map.copyOf(namespaces));
    }

    private static ToolSpec function(JsonNode tool, String at) {
        String name = requiredString(tool.get("name"), at + ".name", 256);
        if (name.isEmpty()) {
            throw Params.invalid(at + ".name", "Invalid '" + at + ".name': empty string.");
        }
        JsonNode parameters = tool.get("parameters");
        if (!absent(parameters) && !parameters.isObject()) {
            throw Params.wrongType(at + ".parameters", "an object", parameters);
        }
        return new ToolSpec(name, string(tool.get("description"), at + ".description", Integer.MAX_VALUE),
                absent(parameters) ? null : parameters, bool(tool.get("strict"), at + ".strict"));
    }

    private static ToolChoice choice(JsonNode choice, Set<String> offered) {
        if (absent(choice)) {
            return null;
        }
        if (choice.isTextual()) {
            return OpenAiTools.fromWord(choice.textValue());
        }
        String type = ContentParts.type(choice, "tool_choice");
        if (type.equals("function")) {
            String name = requiredString(choice.get("name"), "tool_choice.name", 256);
            if (!offered.contains(name)) {
                throw Params.invalid("tool_choice.name", "Invalid 'tool_choice': no function tool is named '" + name + "'.");
            }
            return new ToolChoice.Named(name);
        }
        // A hosted tool (web_search, file_search, ...), a custom tool, MCP or allowed_tools: none can be honoured here.
        throw new io.chatai.web.OpenAiError(400, "invalid_request_error", "unsupported_parameter", "tool_choice",
                "tool_choice requires the '" + type + "' tool, which this server cannot run: only function tools are offered.");
    }

    private static ResponseFormat format(JsonNode text) {
        if (absent(text)) {
            return null;
        }
        if (!text.isObject()) {
            throw Params.wrongType("text", "an object", text);
        }
        JsonNode format = text.get("format");
        if (absent(format)) {
            return null;
        }
        return switch (ContentParts.type(format, "text.format")) {
            case "text" -> new ResponseFormat.Text();
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> {
                String name = requiredString(format.get("name"), "text.format.name", 256);
                JsonNode schema = format.get("schema");
                if (absent(schema)) {
                    throw Params.missing("text.format.schema");
                }
                if (!schema.isObject()) {
                    throw Params.wrongType("text.format.schema", "an object", schema);
                }
                yield new ResponseFormat.JsonSchema(name, string(format.get("description"), "text.format.description",
                        Integer.MAX_VALUE), schema, bool(format.get("strict"), "text.format.strict"));
            }
            default -> throw Params.invalid("text.format.type", "Invalid value: '" + format.get("type").asText()
                    + "'. Supported values are: 'text', 'json_object' and 'json_schema'.");
        };
    }
}
