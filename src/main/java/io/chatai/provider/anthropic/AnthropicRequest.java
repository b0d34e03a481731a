package io.chatai.provider.anthropic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.ToolChoice;
import io.chatai.core.message.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/messages} as Anthropic reads it: wire DTOs internal to the adapter, built
 * from a {@link ModelRequest} by {@link #of}. Null fields are left out. Immutable once built.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AnthropicRequest(String model, @JsonProperty("max_tokens") int maxTokens, String system, List<AnthropicBlocks.Message> messages,
                        Double temperature, @JsonProperty("top_p") Double topP, @JsonProperty("top_k") Integer topK,
                        @JsonProperty("stop_sequences") List<String> stopSequences, List<Tool> tools,
                        @JsonProperty("tool_choice") Choice toolChoice, Thinking thinking,
                        @JsonProperty("output_config") OutputConfig outputConfig, Boolean stream) {
    /** Anthropic requires {@code max_tokens}; used when the request leaves it unset. */
    static final int DEFAULT_MAX_TOKENS = 4096;
    /** The smallest {@code budget_tokens} Anthropic accepts. */
    static final int MIN_THINKING_BUDGET = 1024;

    /** A function the model may call; Anthropic requires an object schema, so a tool without one gets an empty one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Tool(String name, String description, @JsonProperty("input_schema") JsonNode inputSchema) {
    }

    /** {@code auto}, {@code any}, {@code tool} (with {@code name}) or {@code none}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Choice(String type, String name, @JsonProperty("disable_parallel_tool_use") Boolean disableParallelToolUse) {
    }

    /** Extended thinking: {@code {"type":"enabled","budget_tokens":N}}. */
    record Thinking(String type, @JsonProperty("budget_tokens") int budgetTokens) {
    }

    /** Structured output: {@code {"format":{"type":"json_schema","schema":{...}}}}. */
    record OutputConfig(Format format) {
    }

    record Format(String type, JsonNode schema) {
    }

    static AnthropicRequest of(ModelRequest request, boolean stream) {
        List<String> system = new ArrayList<>();
        List<AnthropicBlocks.Message> messages = AnthropicBlocks.messages(request.messages(), system);
        RequestOptions options = request.options();
        Integer budget = thinkingBudget(options);
        return new AnthropicRequest(request.model(), maxTokens(options.maxTokens(), budget),
                system.isEmpty() ? null : String.join("\n\n", system), messages, options.temperature(), options.topP(),
                options.topK(), options.stop().isEmpty() ? null : options.stop(), tools(options.tools()), choice(options),
                budget == null ? null : new Thinking("enabled", budget), outputConfig(options.responseFormat()),
                stream ? Boolean.TRUE : null);
    }

    /**
     * The thinking budget, or null for no thinking. An effort becomes a budget ({@link ReasoningOptions#budgetOr});
     * a budget below Anthropic's minimum is raised to it rather than refused upstream.
     */
    static Integer thinkingBudget(RequestOptions options) {
        ReasoningOptions reasoning = options.reasoning();
        if (reasoning == null || reasoning.off()) {
            return null;
        }
        Integer budget = reasoning.budgetOr(options.maxTokens() == null ? 0 : options.maxTokens());
        return budget == null ? null : Math.max(MIN_THINKING_BUDGET, budget);
    }

    /**
     * {@code max_tokens} counts thinking too and must exceed the budget: a limit that leaves no room for the
     * answer is taken as the answer's own limit, on top of the budget.
     */
    static int maxTokens(Integer requested, Integer budget) {
        int answer = requested != null ? requested : DEFAULT_MAX_TOKENS;
        return budget != null && answer <= budget ? budget + answer : answer;
    }

    private static List<Tool> tools(List<ToolSpec> specs) {
        if (specs.isEmpty()) {
            return null;
        }
        List<Tool> tools = new ArrayList<>(specs.size());
        for (ToolSpec spec : specs) {
            tools.add(new Tool(spec.name(), spec.description(), spec.parameters() != null ? spec.parameters() : emptySchema()));
        }
        return tools;
    }

    private static JsonNode emptySchema() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        schema.putObject("properties");
        return schema;
    }

    /** Left out without tools (there is nothing to choose); {@code parallelToolCalls=false} turns parallel calls off. */
    private static Choice choice(RequestOptions options) {
        if (options.tools().isEmpty() || (options.toolChoice() == null && !Boolean.FALSE.equals(options.parallelToolCalls()))) {
            return null;
        }
        Boolean serial = Boolean.FALSE.equals(options.parallelToolCalls()) ? Boolean.TRUE : null;
        return switch (options.toolChoice() == null ? ToolChoice.AUTO : options.toolChoice()) {
            case ToolChoice.Auto auto -> new Choice("auto", null, serial);
            case ToolChoice.Required required -> new Choice("any", null, serial);
            case ToolChoice.Named named -> new Choice("tool", named.name(), serial);
            case ToolChoice.None none -> new Choice("none", null, null);
        };
    }

    /** Anthropic has no "any JSON" mode: {@code json_object} becomes the schema of any object. */
    private static OutputConfig outputConfig(ResponseFormat format) {
        return switch (format) {
            case null -> null;
            case ResponseFormat.Text text -> null;
            case ResponseFormat.JsonObject object ->
                    new OutputConfig(new Format("json_schema", JsonNodeFactory.instance.objectNode().put("type", "object")));
            case ResponseFormat.JsonSchema schema -> new OutputConfig(new Format("json_schema", schema.schema()));
        };
    }
}
