package io.chatai.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.core.Secrets;
import io.chatai.core.message.Completion;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Responses API's shapes for a translated answer: the {@code response} object (the caller's settings
 * echoed, {@code status}, {@code output}, {@code usage} with cached and reasoning tokens) and its output
 * items: a {@code message} with {@code output_text}, a {@code function_call} with {@code call_id} (and its
 * {@code namespace} when the function came from a namespace tool), a {@code reasoning} item with its text as
 * {@code summary} and, when the caller asked, the provider's opaque state as {@code encrypted_content}
 * ({@link ReasoningState}). Stateless.
 */
final class ResponsesFormat {
    private ResponsesFormat() {
    }

    static String id(String prefix) {
        return Secrets.newToken(prefix, 24); // distinct, not secret
    }

    /** The output items of a whole answer, in the order the model produced its parts. */
    static List<Map<String, Object>> output(Completion completion, ResponsesRequest request) {
        List<Map<String, Object>> items = new ArrayList<>();
        StringBuilder text = null;
        Map<String, String> signatures = new LinkedHashMap<>();
        completion.toolCalls().stream().filter(c -> c.signature() != null).forEach(c -> signatures.put(c.id(), c.signature()));
        boolean signaturesPlaced = signatures.isEmpty() || !request.includeEncrypted();
        for (Part part : completion.content()) {
            if (part instanceof Part.Text t) {
                if (text == null) {
                    text = new StringBuilder();
                    items.add(null); // the message's place, filled when its text is complete
                }
                text.append(t.text());
                continue;
            }
            if (text != null) {
                items.set(items.size() - 1, message(id("msg_"), text.toString(), "completed"));
                text = null;
            }
            switch (part) {
                case Part.Reasoning r -> {
                    ReasoningState state = new ReasoningState(r.origin(), r.signature(), r.redacted(),
                            signaturesPlaced ? Map.of() : signatures);
                    signaturesPlaced = true;
                    items.add(reasoning(id("rs_"), r.text(), state, request.includeEncrypted()));
                }
                case Part.ToolCall call -> {
                    if (!signaturesPlaced) {
                        items.add(reasoning(id("rs_"), null, new ReasoningState(Part.Reasoning.GEMINI, null, null, signatures), true));
                        signaturesPlaced = true;
                    }
                    items.add(functionCall(id("fc_"), call.id(), call.name(), call.arguments(), "completed", request));
                }
                default -> throw new IllegalStateException("an answer holds text, reasoning and tool calls only");
            }
        }
        if (text != null) {
            items.set(items.size() - 1, message(id("msg_"), text.toString(), "completed"));
        }
        return items;
    }

    static Map<String, Object> message(String id, String text, String status) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("type", "message");
        item.put("status", status);
        item.put("role", "assistant");
        item.put("content", text == null ? List.of() : List.of(outputText(text)));
        return item;
    }

    static Map<String, Object> outputText(String text) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", "output_text");
        part.put("text", text);
        part.put("annotations", List.of());
        part.put("logprobs", List.of());
        return part;
    }

    static Map<String, Object> functionCall(String id, String callId, String name, String arguments, String status,
                                            ResponsesRequest request) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("arguments", arguments);
        item.put("call_id", callId);
        item.put("name", name);
        String namespace = request.tools().namespaces().get(name);
        if (namespace != null) {
            item.put("namespace", namespace);
        }
        return item;
    }

    static Map<String, Object> reasoning(String id, String text, ReasoningState state, boolean includeEncrypted) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("type", "reasoning");
        item.put("summary", text == null || text.isEmpty() ? List.of() : List.of(summaryText(text)));
        if (includeEncrypted && !state.isEmpty()) {
            item.put("encrypted_content", state.write());
        }
        return item;
    }

    static Map<String, Object> summaryText(String text) {
        return Map.of("type", "summary_text", "text", text);
    }

    /** The {@code response} object; {@code output} and {@code usage} null while it is in progress. */
    static Map<String, Object> response(String id, long createdAt, ResponsesRequest request, String status,
                                        List<Map<String, Object>> output, TokenUsage usage, FinishReason finish,
                                        Map<String, Object> error) {
        JsonNode raw = request.raw();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", id);
        response.put("object", "response");
        response.put("created_at", createdAt);
        response.put("status", status);
        response.put("background", false);
        response.put("error", error);
        response.put("incomplete_details", status.equals("incomplete")
                ? Map.of("reason", finish == FinishReason.CONTENT_FILTER ? "content_filter" : "max_output_tokens") : null);
        response.put("instructions", request.instructions());
        response.put("max_output_tokens", echo(raw, "max_output_tokens"));
        response.put("model", request.model());
        response.put("output", output == null ? List.of() : output);
        response.put("parallel_tool_calls", raw.path("parallel_tool_calls").asBoolean(true));
        response.put("previous_response_id", request.previousResponseId());
        Map<String, Object> reasoning = new LinkedHashMap<>();
        reasoning.put("effort", raw.path("reasoning").path("effort").isTextual() ? raw.path("reasoning").path("effort").asText() : null);
        reasoning.put("summary", raw.path("reasoning").path("summary").isTextual() ? raw.path("reasoning").path("summary").asText() : null);
        response.put("reasoning", reasoning);
        response.put("store", request.store());
        response.put("temperature", raw.path("temperature").isNumber() ? raw.get("temperature") : 1.0);
        response.put("text", raw.path("text").isObject() && raw.path("text").has("format") ? raw.get("text")
                : Map.of("format", Map.of("type", "text")));
        response.put("tool_choice", raw.hasNonNull("tool_choice") ? raw.get("tool_choice") : "auto");
        response.put("tools", raw.path("tools").isArray() ? raw.get("tools") : List.of());
        response.put("top_p", raw.path("top_p").isNumber() ? raw.get("top_p") : 1.0);
        response.put("truncation", raw.path("truncation").isTextual() ? raw.get("truncation").asText() : "disabled");
        response.put("usage", usage == null ? null : usage(usage));
        response.put("user", echo(raw, "user"));
        response.put("metadata", raw.path("metadata").isObject() ? raw.get("metadata") : Map.of());
        return response;
    }

    /** {@code completed}, or {@code incomplete} when the answer was cut by the token limit or a content filter. */
    static String status(FinishReason finish) {
        return finish == FinishReason.LENGTH || finish == FinishReason.CONTENT_FILTER ? "incomplete" : "completed";
    }

    static Map<String, Object> usage(TokenUsage usage) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("input_tokens", usage.promptTokens());
        map.put("input_tokens_details", Map.of("cached_tokens", usage.cachedPromptTokens()));
        map.put("output_tokens", usage.completionTokens());
        map.put("output_tokens_details", Map.of("reasoning_tokens", usage.reasoningTokens()));
        map.put("total_tokens", usage.totalTokens());
        return map;
    }

    private static Object echo(JsonNode raw, String field) {
        JsonNode value = raw.get(field);
        return value == null || value.isNull() ? null : Json.MAPPER.convertValue(value, Object.class);
    }
}
