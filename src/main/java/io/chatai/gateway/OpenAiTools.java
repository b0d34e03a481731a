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
import java.util.List;

/**
 * The options of a chat-completions request that shape tool use and the answer's form: {@code tools}
 * (function tools; other tool types only relay), {@code tool_choice} ({@code auto}, {@code none},
 * {@code required}, a named function) and {@code response_format} ({@code text}, {@code json_object},
 * {@code json_schema} with its name, description, schema and {@code strict}). Immutable.
 *
 * @param relayOnly the first of these fields only a relaying channel can honour, or null
 */
record OpenAiTools(List<ToolSpec> tools, ToolChoice choice, ResponseFormat responseFormat, String relayOnly) {
    private static final int MAX_TOOLS = 512;

    static OpenAiTools parse(JsonNode raw) {
        String[] relayOnly = {null};
        List<ToolSpec> tools = tools(raw.get("tools"), relayOnly);
        ToolChoice choice = choice(raw.get("tool_choice"), relayOnly);
        ResponseFormat format = format(raw.get("response_format"), relayOnly);
        return new OpenAiTools(tools, choice, format, relayOnly[0]);
    }

    private static void note(String[] relayOnly, String param) {
        if (relayOnly[0] == null) {
            relayOnly[0] = param;
        }
    }

    private static List<ToolSpec> tools(JsonNode tools, String[] relayOnly) {
        if (absent(tools)) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw Params.wrongType("tools", "an array", tools);
        }
        if (tools.size() > MAX_TOOLS) {
            throw Params.invalid("tools", "Invalid 'tools': at most " + MAX_TOOLS + " tools, got " + tools.size() + ".");
        }
        List<ToolSpec> specs = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            if (!ContentParts.type(tool, at).equals("function")) {
                note(relayOnly, at); // custom tools: only an OpenAI upstream knows them
                continue;
            }
            JsonNode function = tool.get("function");
            if (absent(function)) {
                throw Params.missing(at + ".function");
            }
            if (!function.isObject()) {
                throw Params.wrongType(at + ".function", "an object", function);
            }
            String name = requiredString(function.get("name"), at + ".function.name", 256);
            if (name.isEmpty()) {
                throw Params.invalid(at + ".function.name", "Invalid '" + at + ".function.name': empty string.");
            }
            JsonNode parameters = function.get("parameters");
            if (!absent(parameters) && !parameters.isObject()) {
                throw Params.wrongType(at + ".function.parameters", "an object", parameters);
            }
            specs.add(new ToolSpec(name, string(function.get("description"), at + ".function.description", Integer.MAX_VALUE),
                    absent(parameters) ? null : parameters, bool(function.get("strict"), at + ".function.strict")));
        }
        return specs;
    }

    private static ToolChoice choice(JsonNode choice, String[] relayOnly) {
        if (absent(choice)) {
            return null;
        }
        if (choice.isTextual()) {
            return fromWord(choice.textValue());
        }
        if (!choice.isObject()) {
            throw Params.wrongType("tool_choice", "a string or an object", choice);
        }
        if (!ContentParts.type(choice, "tool_choice").equals("function")) {
            note(relayOnly, "tool_choice"); // allowed_tools, custom
            return null;
        }
        JsonNode function = choice.get("function");
        if (absent(function) || !function.isObject()) {
            throw Params.missing("tool_choice.function");
        }
        return new ToolChoice.Named(requiredString(function.get("name"), "tool_choice.function.name", 256));
    }

    /** A {@code tool_choice} given as a string, the same three words in chat completions and Responses. */
    static ToolChoice fromWord(String choice) {
        return switch (choice) {
            case "auto" -> ToolChoice.AUTO;
            case "none" -> ToolChoice.NONE;
            case "required" -> ToolChoice.REQUIRED;
            default -> throw Params.invalid("tool_choice", "Invalid value: '" + choice
                    + "'. Supported values are: 'none', 'auto' and 'required'.");
        };
    }

    private static ResponseFormat format(JsonNode format, String[] relayOnly) {
        if (absent(format)) {
            return null;
        }
        if (!format.isObject()) {
            throw Params.wrongType("response_format", "an object", format);
        }
        switch (ContentParts.type(format, "response_format")) {
            case "text" -> {
                return new ResponseFormat.Text();
            }
            case "json_object" -> {
                return new ResponseFormat.JsonObject();
            }
            case "json_schema" -> {
                JsonNode schema = format.get("json_schema");
                if (absent(schema)) {
                    throw Params.missing("response_format.json_schema");
                }
                if (!schema.isObject()) {
                    throw Params.wrongType("response_format.json_schema", "an object", schema);
                }
                String name = requiredString(schema.get("name"), "response_format.json_schema.name", 256);
                JsonNode body = schema.get("schema");
                if (!absent(body) && !body.isObject()) {
                    throw Params.wrongType("response_format.json_schema.schema", "an object", body);
                }
                return new ResponseFormat.JsonSchema(name,
                        string(schema.get("description"), "response_format.json_schema.description", Integer.MAX_VALUE),
                        absent(body) ? Json.MAPPER.createObjectNode() : body,
                        bool(schema.get("strict"), "response_format.json_schema.strict"));
            }
            default -> {
                note(relayOnly, "response_format"); // e.g. grammar formats of other servers
                return null;
            }
        }
    }
}
