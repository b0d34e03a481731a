package io.chatai.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.ToolChoice;
import io.chatai.core.message.ToolSpec;
import io.chatai.provider.gemini.GeminiWire.Content;
import io.chatai.provider.gemini.GeminiWire.FunctionCallingConfig;
import io.chatai.provider.gemini.GeminiWire.FunctionDeclaration;
import io.chatai.provider.gemini.GeminiWire.GenerationConfig;
import io.chatai.provider.gemini.GeminiWire.Request;
import io.chatai.provider.gemini.GeminiWire.ThinkingConfig;
import io.chatai.provider.gemini.GeminiWire.Tool;
import io.chatai.provider.gemini.GeminiWire.ToolConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link ModelRequest} as Gemini's {@code GenerateContentRequest}: system messages in
 * {@code systemInstruction}, the conversation in {@code contents} ({@link GeminiContents}), the functions in
 * {@code tools[0].functionDeclarations}, the tool choice in {@code toolConfig}, and every sampling, output and
 * thinking option in {@code generationConfig}. Stateless.
 */
final class GeminiRequests {
    /** {@code gemini-3…} and later take {@code thinkingLevel}; earlier models know only {@code thinkingBudget}. */
    private static final Pattern GENERATION = Pattern.compile("^gemini-(\\d+)");

    private GeminiRequests() {
    }

    /** The wire request; a request {@link GeminiRefusals} names a field of is refused here too, never half sent. */
    static Request request(ModelRequest request, String model) {
        GeminiRefusals.first(request).ifPresent(field -> {
            throw GeminiRefusals.refused(field);
        });
        List<GeminiWire.Part> system = new ArrayList<>();
        List<Content> contents = GeminiContents.contents(request.messages(), system);
        RequestOptions options = request.options();
        return new Request(system.isEmpty() ? null : new Content(null, system), contents, tools(options),
                toolConfig(options), generationConfig(options, model));
    }

    private static List<Tool> tools(RequestOptions options) {
        if (options.tools().isEmpty()) {
            return null;
        }
        List<FunctionDeclaration> declarations = new ArrayList<>();
        for (ToolSpec tool : options.tools()) {
            declarations.add(new FunctionDeclaration(tool.name(), tool.description(), tool.parameters()));
        }
        return List.of(new Tool(declarations));
    }

    /** OpenAI's tool choice in Gemini's modes: {@code required} is {@code ANY}, a named function {@code ANY} of one. */
    private static ToolConfig toolConfig(RequestOptions options) {
        if (options.tools().isEmpty() || options.toolChoice() == null) {
            return null;
        }
        FunctionCallingConfig config = switch (options.toolChoice()) {
            case ToolChoice.Auto auto -> new FunctionCallingConfig("AUTO", null);
            case ToolChoice.None none -> new FunctionCallingConfig("NONE", null);
            case ToolChoice.Required required -> new FunctionCallingConfig("ANY", null);
            case ToolChoice.Named named -> new FunctionCallingConfig("ANY", List.of(named.name()));
        };
        return new ToolConfig(config);
    }

    private static GenerationConfig generationConfig(RequestOptions o, String model) {
        String mimeType = null;
        JsonNode schema = null;
        switch (o.responseFormat()) {
            case ResponseFormat.JsonSchema json -> {
                mimeType = "application/json";
                schema = json.schema();
            }
            case ResponseFormat.JsonObject json -> mimeType = "application/json";
            case ResponseFormat.Text text -> { }
            case null -> { }
        }
        boolean logprobs = Boolean.TRUE.equals(o.logprobs());
        GenerationConfig config = new GenerationConfig(o.temperature(), o.topP(), o.topK(), o.maxTokens(),
                o.stop().isEmpty() ? null : o.stop(), seed(o.seed()), o.presencePenalty(), o.frequencyPenalty(), o.n(),
                mimeType, schema, logprobs ? Boolean.TRUE : null, logprobs ? o.topLogprobs() : null,
                thinking(o.reasoning(), model, o.maxTokens()));
        return config.equals(new GenerationConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null))
                ? null : config;
    }

    /** Gemini's seed is 32 bits: a larger one is folded, so the same seed still gives the same answer. */
    private static Integer seed(Long seed) {
        if (seed == null) {
            return null;
        }
        return seed == seed.intValue() ? seed.intValue() : (int) (seed ^ (seed >>> 32));
    }

    /**
     * An explicit budget is {@code thinkingBudget}; an effort is {@code thinkingLevel} on Gemini 3 and later
     * ({@code none} as {@code minimal}, the least Gemini 3 thinks; {@code xhigh} as {@code high}) and a budget
     * derived from it on older or unrecognised models, which Gemini 3 also accepts. Thought summaries are
     * asked for unless the caller said otherwise or turned thinking off.
     */
    static ThinkingConfig thinking(ReasoningOptions reasoning, String model, Integer maxTokens) {
        if (reasoning == null) {
            return null;
        }
        Boolean include = reasoning.summary() != null ? reasoning.summary() : reasoning.off() ? null : Boolean.TRUE;
        if (reasoning.budgetTokens() == null && reasoning.effort() == null) {
            return include == null ? null : new ThinkingConfig(null, null, include);
        }
        Matcher generation = GENERATION.matcher(model);
        if (reasoning.budgetTokens() == null && generation.find()
                && generation.group(1).length() < 4 && Integer.parseInt(generation.group(1)) >= 3) {
            String level = switch (reasoning.effort()) {
                case "none", "minimal" -> "minimal";
                case "low" -> "low";
                case "medium" -> "medium";
                default -> "high";
            };
            return new ThinkingConfig(null, level, include);
        }
        return new ThinkingConfig(reasoning.budgetOr(maxTokens == null ? 0 : maxTokens), null, include);
    }
}
