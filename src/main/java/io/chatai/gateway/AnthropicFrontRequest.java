package io.chatai.gateway;

import static io.chatai.gateway.Params.absent;
import static io.chatai.gateway.Params.integer;
import static io.chatai.gateway.Params.number;
import static io.chatai.gateway.Params.requiredString;
import static io.chatai.gateway.Params.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.ToolChoice;
import io.chatai.core.message.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A validated Anthropic Messages request ({@code POST /v1/messages}, and the input of {@code count_tokens}):
 * read into the rich model for channels that translate it, kept as the caller's text for Anthropic channels
 * that relay it. Unknown fields are accepted. What only Anthropic can honour (server tools, documents,
 * {@code container}, {@code mcp_servers}) is noted in {@code relayOnly}; {@code cache_control},
 * {@code service_tier}, {@code context_management} and {@code metadata} are hints other providers do without.
 * {@code metadata.user_id} may be any string (Claude Code sends a long JSON one): past 64 characters it
 * counts through a hash. Immutable.
 */
record AnthropicFrontRequest(ModelRequest model, String body, boolean stream, String user, String relayOnly) {
    private static final Set<String> EFFORTS = Set.of("low", "medium", "high", "max");

    static AnthropicFrontRequest parse(String body, ObjectNode raw, boolean counting) {
        String model = requiredString(raw.get("model"), "model", 256);
        if (model.isEmpty()) {
            throw Params.invalid("model", "model: a model name is required");
        }
        Integer maxTokens = integer(raw.get("max_tokens"), "max_tokens", 1, Integer.MAX_VALUE);
        if (maxTokens == null && !counting) {
            throw Params.missing("max_tokens");
        }
        AnthropicFrontMessages.Parsed messages = AnthropicFrontMessages.parse(raw.get("system"), raw.get("messages"));
        String[] relayOnly = {messages.relayOnly()};
        List<ToolSpec> tools = tools(raw.get("tools"), relayOnly);
        JsonNode choice = raw.get("tool_choice");
        RequestOptions options = RequestOptions.builder()
                .maxTokens(maxTokens)
                .temperature(number(raw.get("temperature"), "temperature", 0, 1))
                .topP(number(raw.get("top_p"), "top_p", 0, 1))
                .topK(integer(raw.get("top_k"), "top_k", 0, Integer.MAX_VALUE))
                .stop(stopSequences(raw.get("stop_sequences")))
                .tools(tools)
                .toolChoice(toolChoice(choice))
                .parallelToolCalls(!absent(choice) && Boolean.TRUE.equals(Params.bool(choice.get("disable_parallel_tool_use"),
                        "tool_choice.disable_parallel_tool_use")) ? Boolean.FALSE : null)
                .reasoning(reasoning(raw.get("thinking"), raw.path("output_config").get("effort")))
                .responseFormat(format(raw))
                .build();
        for (String field : List.of("container", "mcp_servers")) {
            if (!absent(raw.get(field)) && relayOnly[0] == null) {
                relayOnly[0] = field;
            }
        }
        JsonNode metadata = raw.get("metadata");
        if (!absent(metadata) && !metadata.isObject()) {
            throw Params.wrongType("metadata", "an object", metadata);
        }
        String user = absent(metadata) ? null : CompletionRequest.userKey(string(metadata.get("user_id"), "metadata.user_id",
                Integer.MAX_VALUE));
        boolean stream = Boolean.TRUE.equals(Params.bool(raw.get("stream"), "stream"));
        return new AnthropicFrontRequest(new ModelRequest(model, messages.messages(), options), body, stream, user, relayOnly[0]);
    }

    /** Custom tools (no {@code type}, or {@code custom}); Anthropic's server and client tools only relay. */
    private static List<ToolSpec> tools(JsonNode tools, String[] relayOnly) {
        if (absent(tools)) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw Params.wrongType("tools", "an array", tools);
        }
        List<ToolSpec> specs = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            if (!tool.isObject()) {
                throw Params.wrongType(at, "an object", tool);
            }
            String type = string(tool.get("type"), at + ".type", 64);
            if (type != null && !type.equals("custom")) {
                if (relayOnly[0] == null) {
                    relayOnly[0] = at; // web_search, bash, text_editor...: run by Anthropic or defined by it
                }
                continue;
            }
            JsonNode schema = tool.get("input_schema");
            if (absent(schema) || !schema.isObject()) {
                throw Params.missing(at + ".input_schema");
            }
            specs.add(new ToolSpec(requiredString(tool.get("name"), at + ".name", 256),
                    string(tool.get("description"), at + ".description", Integer.MAX_VALUE), schema, null));
        }
        return specs;
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        if (absent(choice)) {
            return null;
        }
        if (!choice.isObject()) {
            throw Params.wrongType("tool_choice", "an object", choice);
        }
        String type = requiredString(choice.get("type"), "tool_choice.type", 32);
        return switch (type) {
            case "auto" -> ToolChoice.AUTO;
            case "any" -> ToolChoice.REQUIRED;
            case "none" -> ToolChoice.NONE;
            case "tool" -> new ToolChoice.Named(requiredString(choice.get("name"), "tool_choice.name", 256));
            default -> throw Params.invalid("tool_choice.type", "tool_choice.type: 'auto', 'any', 'tool' or 'none', got '" + type + "'");
        };
    }

    /** {@code thinking} {@code enabled} with its budget; {@code adaptive} or an {@code output_config.effort} as an effort. */
    private static ReasoningOptions reasoning(JsonNode thinking, JsonNode effort) {
        String level = string(effort, "output_config.effort", 32);
        String mapped = level == null || !EFFORTS.contains(level) ? null : level.equals("max") ? "xhigh" : level;
        if (absent(thinking)) {
            return mapped == null ? null : new ReasoningOptions(mapped, null, null);
        }
        if (!thinking.isObject()) {
            throw Params.wrongType("thinking", "an object", thinking);
        }
        String type = requiredString(thinking.get("type"), "thinking.type", 32);
        return switch (type) {
            case "enabled" -> new ReasoningOptions(mapped, integer(thinking.get("budget_tokens"), "thinking.budget_tokens", 0,
                    Integer.MAX_VALUE), null);
            case "adaptive" -> new ReasoningOptions(mapped != null ? mapped : "medium", null, null);
            case "disabled" -> null;
            default -> throw Params.invalid("thinking.type", "thinking.type: 'enabled', 'adaptive' or 'disabled', got '" + type + "'");
        };
    }

    /** Structured output: {@code output_config.format} (or the beta's {@code output_format}) with a JSON schema. */
    private static ResponseFormat format(ObjectNode raw) {
        JsonNode format = raw.path("output_config").get("format");
        String at = "output_config.format";
        if (absent(format)) {
            format = raw.get("output_format");
            at = "output_format";
        }
        if (absent(format)) {
            return null;
        }
        if (!format.isObject() || !"json_schema".equals(format.path("type").asText()) || !format.path("schema").isObject()) {
            throw Params.invalid(at, at + ": expected {\"type\": \"json_schema\", \"schema\": {...}}");
        }
        return new ResponseFormat.JsonSchema("output", null, format.get("schema"), true);
    }

    private static List<String> stopSequences(JsonNode stop) {
        if (absent(stop)) {
            return List.of();
        }
        if (!stop.isArray()) {
            throw Params.wrongType("stop_sequences", "an array of strings", stop);
        }
        List<String> sequences = new ArrayList<>(stop.size());
        for (int i = 0; i < stop.size(); i++) {
            sequences.add(requiredString(stop.get(i), "stop_sequences[" + i + "]", 4096));
        }
        return sequences;
    }
}
