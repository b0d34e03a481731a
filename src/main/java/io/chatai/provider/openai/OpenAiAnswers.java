package io.chatai.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Secrets;
import io.chatai.core.message.Completion;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OpenAI chat completions answer (a whole response, or the fields a stream chunk shares with it)
 * into the rich model. Lenient where compatible servers differ: reasoning as {@code reasoning_content}
 * (DeepSeek, Qwen, GLM) or {@code reasoning} (OpenRouter, newer vLLM, Ollama), content as a string or a list of
 * parts, cached tokens as OpenAI's {@code prompt_tokens_details} or DeepSeek's {@code prompt_cache_hit_tokens}.
 * Stateless.
 */
final class OpenAiAnswers {
    private OpenAiAnswers() {
    }

    /** The choice this adapter reads: index 0 (a request never asks for more, see {@link OpenAiRequests#unsupported}). */
    static JsonNode firstChoice(JsonNode body) {
        for (JsonNode choice : body.path("choices")) {
            if (choice.path("index").asInt(0) == 0) {
                return choice;
            }
        }
        return null;
    }

    /** Reasoning, text, then tool calls: the order in which a model produces them. */
    static Completion completion(JsonNode choice, TokenUsage usage) {
        JsonNode message = choice.path("message");
        List<Part> parts = new ArrayList<>();
        String reasoning = reasoning(message);
        if (reasoning != null) {
            parts.add(Part.Reasoning.text(reasoning, Part.Reasoning.OPENAI));
        }
        String text = text(message.path("content"));
        if (text.isEmpty()) {
            text = nonEmpty(message.path("refusal")); // a refusal is what the model answered instead
        }
        if (text != null && !text.isEmpty()) {
            parts.add(new Part.Text(text));
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            String id = nonEmpty(call.path("id"));
            String name = nonEmpty(function.path("name"));
            parts.add(new Part.ToolCall(id == null ? newCallId() : id, name == null ? "" : name,
                    arguments(function.path("arguments")), null));
        }
        return new Completion(parts, FinishReason.fromWire(finishReason(choice)), usage);
    }

    /** {@code reasoning_content}, else {@code reasoning}; one of them only, as servers that send both repeat the text. */
    static String reasoning(JsonNode messageOrDelta) {
        String reasoning = nonEmpty(messageOrDelta.path("reasoning_content"));
        return reasoning != null ? reasoning : nonEmpty(messageOrDelta.path("reasoning"));
    }

    /** Arguments are a JSON string on the wire; a server that sends the object itself gets it written as text. */
    static String arguments(JsonNode arguments) {
        if (arguments.isTextual()) {
            return arguments.textValue();
        }
        return arguments.isContainerNode() ? arguments.toString() : null;
    }

    static String newCallId() {
        return Secrets.newToken("call_", 24);
    }

    /** {@code usage} of a response or of the final stream chunk, or null when absent. */
    static TokenUsage usage(JsonNode node) {
        JsonNode usage = node.path("usage");
        if (!usage.isObject() || !usage.path("prompt_tokens").isNumber()) {
            return null;
        }
        JsonNode cached = usage.path("prompt_tokens_details").path("cached_tokens");
        if (!cached.isNumber()) {
            cached = usage.path("prompt_cache_hit_tokens");
        }
        return new TokenUsage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(), cached.asInt(0), 0,
                usage.path("completion_tokens_details").path("reasoning_tokens").asInt(0), false);
    }

    static String finishReason(JsonNode choice) {
        return nonEmpty(choice.path("finish_reason"));
    }

    static String nonEmpty(JsonNode node) {
        return node.isTextual() && !node.textValue().isEmpty() ? node.textValue() : null;
    }

    /** A string, or the text parts of a content list joined (some servers answer in parts). */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("type").asText().equals("text") && part.path("text").isTextual()) {
                text.append(part.path("text").textValue());
            }
        }
        return text.toString();
    }
}
