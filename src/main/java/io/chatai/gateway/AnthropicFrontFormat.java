package io.chatai.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.core.message.Completion;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A translated answer in Anthropic's Messages shape: content blocks in the answer's order ({@code thinking}
 * with its signature, {@code redacted_thinking}, {@code text}, {@code tool_use} with the parsed input), the
 * stop reason, and usage with {@code input_tokens} net of the cached tokens, as Anthropic counts them, plus
 * {@code cache_read_input_tokens} and {@code cache_creation_input_tokens}. Stateless.
 */
final class AnthropicFrontFormat {
    private AnthropicFrontFormat() {
    }

    static Map<String, Object> message(String id, String model, Completion completion) {
        List<Map<String, Object>> content = new ArrayList<>();
        for (Part part : completion.content()) {
            switch (part) {
                case Part.Text text -> content.add(text(text.text()));
                case Part.Reasoning reasoning -> content.add(thinking(reasoning));
                case Part.ToolCall call -> {
                    Map<String, Object> block = toolUse(call.id(), call.name(), call.signature());
                    block.put("input", input(call.arguments()));
                    content.add(block);
                }
                case Part.Image image -> {
                    // an answer holds no images
                }
            }
        }
        Map<String, Object> message = start(id, model);
        message.put("content", content);
        message.put("stop_reason", stopReason(completion.finishReason()));
        message.put("usage", usage(completion.usage()));
        return message;
    }

    /** The message without content, stop reason or usage: the head of a non-streamed answer and of message_start. */
    static Map<String, Object> start(String id, String model) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.put("content", List.of());
        message.put("stop_reason", null);
        message.put("stop_sequence", null);
        return message;
    }

    static Map<String, Object> text(String text) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("type", "text");
        block.put("text", text);
        return block;
    }

    static Map<String, Object> thinking(Part.Reasoning reasoning) {
        Map<String, Object> block = new LinkedHashMap<>();
        if (reasoning.redacted() != null && Part.Reasoning.ANTHROPIC.equals(reasoning.origin())) {
            block.put("type", "redacted_thinking");
            block.put("data", reasoning.redacted());
            return block;
        }
        block.put("type", "thinking");
        block.put("thinking", reasoning.text() == null ? "" : reasoning.text());
        block.put("signature", AnthropicFrontState.signature(reasoning));
        return block;
    }

    static Map<String, Object> toolUse(String id, String name, String signature) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("type", "tool_use");
        block.put("id", AnthropicFrontState.toolUseId(id, signature));
        block.put("name", name);
        return block;
    }

    /** The arguments as an object; a model's invalid JSON is kept as the text it wrote, under {@code _raw}. */
    static Object input(String arguments) {
        try {
            JsonNode node = Json.tree(arguments);
            if (node.isObject()) {
                return node;
            }
        } catch (Exception invalid) {
            // falls through
        }
        return Map.of("_raw", arguments);
    }

    static String stopReason(FinishReason reason) {
        return switch (reason) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    static Map<String, Object> usage(TokenUsage usage) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("input_tokens", Math.max(0, usage.promptTokens() - usage.cachedPromptTokens() - usage.cacheCreationTokens()));
        out.put("cache_creation_input_tokens", usage.cacheCreationTokens());
        out.put("cache_read_input_tokens", usage.cachedPromptTokens());
        out.put("output_tokens", usage.completionTokens());
        return out;
    }
}
