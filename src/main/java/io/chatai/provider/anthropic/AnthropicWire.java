package io.chatai.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.TokenUsage;
import java.util.List;

/** What Anthropic's answers say besides their content: usage, stop reasons and error types. Stateless. */
final class AnthropicWire {
    static final String VERSION = "2023-06-01";
    static final List<String> USAGE_FIELDS =
            List.of("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "output_tokens");

    private AnthropicWire() {
    }

    /**
     * {@code usage} of a whole message, or null when absent. Anthropic's {@code input_tokens} leaves out the
     * tokens read from and written to its prompt cache; the prompt count here includes both.
     */
    static TokenUsage usage(JsonNode usage) {
        if (!usage.path("input_tokens").isNumber()) {
            return null;
        }
        int cacheRead = usage.path("cache_read_input_tokens").asInt();
        int cacheCreation = usage.path("cache_creation_input_tokens").asInt();
        return new TokenUsage(usage.path("input_tokens").asInt() + cacheRead + cacheCreation, usage.path("output_tokens").asInt(),
                cacheRead, cacheCreation, 0, false);
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

    /**
     * Anthropic's stop reasons in OpenAI's words. {@code pause_turn} (a server tool paused a long turn) ends
     * this answer as it stands: the caller may send it back to continue, as after any answer.
     */
    static FinishReason finishReason(String stopReason) {
        return switch (stopReason == null ? "" : stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP; // end_turn, stop_sequence, pause_turn
        };
    }
}
