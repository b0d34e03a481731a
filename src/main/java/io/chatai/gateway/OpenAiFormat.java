package io.chatai.gateway;

import io.chatai.core.message.TokenUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OpenAI's response shapes: completions, stream chunks, usage and errors. Stateless. */
public final class OpenAiFormat {
    private OpenAiFormat() {
    }

    public static Map<String, Object> completion(String id, long created, String model, String text, String finishReason,
                                                 TokenUsage usage) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", text);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("finish_reason", finishReason(finishReason));
        Map<String, Object> body = head(id, "chat.completion", created, model);
        body.put("choices", List.of(choice));
        body.put("usage", usage(usage));
        return body;
    }

    /** A chunk with a delta; {@code finishReason} null while the answer goes on. */
    public static Map<String, Object> chunk(String id, long created, String model, Map<String, Object> delta, String finishReason) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finishReason == null ? null : finishReason(finishReason));
        Map<String, Object> body = head(id, "chat.completion.chunk", created, model);
        body.put("choices", List.of(choice));
        return body;
    }

    /** The last chunk before {@code [DONE]} when the caller asked for {@code stream_options.include_usage}. */
    public static Map<String, Object> usageChunk(String id, long created, String model, TokenUsage usage) {
        Map<String, Object> body = head(id, "chat.completion.chunk", created, model);
        body.put("choices", List.of());
        body.put("usage", usage(usage));
        return body;
    }

    /** The providers' finish reasons in OpenAI's vocabulary. */
    static String finishReason(String reason) {
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case "length", "max_tokens", "MAX_TOKENS" -> "length";
            case "content_filter", "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    private static Map<String, Object> usage(TokenUsage usage) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("prompt_tokens", usage.promptTokens());
        view.put("completion_tokens", usage.completionTokens());
        view.put("total_tokens", usage.totalTokens());
        return view;
    }

    private static Map<String, Object> head(String id, String object, long created, String model) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("object", object);
        body.put("created", created);
        body.put("model", model);
        return body;
    }
}
