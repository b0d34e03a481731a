package io.chatai.provider.anthropic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/** The Anthropic Messages wire format, as far as this adapter uses it (text only). Internal to the adapter. */
final class AnthropicWire {
    static final String VERSION = "2023-06-01";
    /** Anthropic requires {@code max_tokens}; used when the preset leaves it unset. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    private AnthropicWire() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Request(String model, @JsonProperty("max_tokens") int maxTokens, String system, List<Message> messages,
                   Double temperature, @JsonProperty("top_p") Double topP, Boolean stream) {
    }

    record Message(String role, String content) {
    }

    /**
     * System messages become the top-level {@code system} (there is no system role); empty messages are
     * left out because Anthropic refuses empty content, and one empty stored reply must not break a
     * conversation for good.
     */
    static Request request(ModelRequest request, boolean stream) {
        List<String> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            if (message.text().isEmpty()) {
                continue;
            }
            switch (message.role()) {
                case SYSTEM -> system.add(message.text());
                case USER -> messages.add(new Message("user", message.text()));
                case ASSISTANT -> messages.add(new Message("assistant", message.text()));
                case TOOL -> throw new IllegalStateException("tool messages are not mapped yet");
            }
        }
        return new Request(request.model(), request.options().maxTokens() != null ? request.options().maxTokens() : DEFAULT_MAX_TOKENS,
                system.isEmpty() ? null : String.join("\n\n", system), messages, request.options().temperature(), request.options().topP(),
                stream ? Boolean.TRUE : null);
    }

    /** Input tokens of a {@code usage} object: cached and cache-writing tokens are input too. */
    static int inputTokens(JsonNode usage) {
        return usage.path("input_tokens").asInt() + usage.path("cache_creation_input_tokens").asInt()
                + usage.path("cache_read_input_tokens").asInt();
    }

    /** {@code usage} of a whole message, or null when absent. */
    static TokenUsage usage(JsonNode message) {
        JsonNode usage = message.path("usage");
        if (!usage.path("input_tokens").isNumber()) {
            return null;
        }
        return new TokenUsage(inputTokens(usage), usage.path("output_tokens").asInt(), false);
    }

    /**
     * The HTTP status Anthropic uses for an error {@code type}, so an {@code error} event inside a stream
     * is classified exactly like the same error answered as a status.
     */
    static int statusOf(String errorType) {
        return switch (errorType == null ? "" : errorType) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500; // api_error and anything new: the upstream's fault
        };
    }

    /** Anthropic's stop reasons in OpenAI's words. */
    static FinishReason finishReason(String stopReason) {
        return switch (stopReason == null ? "" : stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }
}
