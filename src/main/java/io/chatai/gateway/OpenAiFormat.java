package io.chatai.gateway;

import io.chatai.core.message.Completion;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's response shapes for an answer translated from another provider: the completion with its
 * message (text, {@code reasoning_content}, Anthropic's {@code thinking_blocks}, {@code tool_calls} with
 * Gemini's {@code extra_content.google.thought_signature}), stream chunks, and usage with cached and
 * reasoning tokens. Stateless.
 */
public final class OpenAiFormat {
    private OpenAiFormat() {
    }

    public static Map<String, Object> completion(String id, long created, String model, Completion completion) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message(completion));
        choice.put("logprobs", null);
        choice.put("finish_reason", completion.finishReason().wire());
        Map<String, Object> body = head(id, "chat.completion", created, model);
        body.put("choices", List.of(choice));
        body.put("usage", usage(completion.usage()));
        return body;
    }

    private static Map<String, Object> message(Completion completion) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        String text = completion.text();
        List<Part.ToolCall> calls = completion.toolCalls();
        message.put("content", text.isEmpty() && !calls.isEmpty() ? null : text);
        message.put("refusal", null);
        String reasoning = completion.reasoningText();
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning);
        }
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (Part part : completion.content()) {
            if (part instanceof Part.Reasoning r && ThinkingBlocks.of(r) != null) {
                blocks.add(ThinkingBlocks.of(r));
            }
        }
        if (!blocks.isEmpty()) {
            message.put("thinking_blocks", blocks);
        }
        if (!calls.isEmpty()) {
            message.put("tool_calls", calls.stream().map(OpenAiFormat::toolCall).toList());
        }
        return message;
    }

    private static Map<String, Object> toolCall(Part.ToolCall call) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", call.name());
        function.put("arguments", call.arguments());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", call.id());
        view.put("type", "function");
        view.put("function", function);
        if (call.signature() != null) {
            view.put("extra_content", thoughtSignature(call.signature()));
        }
        return view;
    }

    /** Gemini's thought signature where its own OpenAI-compatible API puts it on a tool call. */
    static Map<String, Object> thoughtSignature(String signature) {
        return Map.of("google", Map.of("thought_signature", signature));
    }

    /** A chunk with a delta; {@code finishReason} null while the answer goes on. */
    public static Map<String, Object> chunk(String id, long created, String model, Map<String, Object> delta, String finishReason) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason);
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

    private static Map<String, Object> usage(TokenUsage usage) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("prompt_tokens", usage.promptTokens());
        view.put("completion_tokens", usage.completionTokens());
        view.put("total_tokens", usage.totalTokens());
        view.put("prompt_tokens_details", Map.of("cached_tokens", usage.cachedPromptTokens()));
        view.put("completion_tokens_details", Map.of("reasoning_tokens", usage.reasoningTokens()));
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
