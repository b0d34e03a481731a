package io.chatai.provider.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.TokenUsage;
import java.util.List;

/** The OpenAI chat completions wire format, as far as this adapter uses it. Internal to the adapter. */
final class OpenAiWire {
    private OpenAiWire() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Request(String model, List<Message> messages, Double temperature, @JsonProperty("top_p") Double topP,
                   @JsonProperty("max_tokens") Integer maxTokens, boolean stream,
                   @JsonProperty("stream_options") StreamOptions streamOptions) {
    }

    record Message(String role, String content) {
    }

    record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {
    }

    static Request request(ModelRequest request, boolean stream) {
        List<Message> messages = request.messages().stream()
                .map(m -> new Message(m.role().wire(), m.text()))
                .toList();
        return new Request(request.model(), messages, request.options().temperature(), request.options().topP(), request.options().maxTokens(),
                stream, stream ? new StreamOptions(true) : null);
    }

    /** {@code usage} of a response or of the final stream chunk, or null when absent. */
    static TokenUsage usage(JsonNode node) {
        JsonNode usage = node.path("usage");
        if (!usage.isObject() || !usage.path("prompt_tokens").isNumber()) {
            return null;
        }
        return new TokenUsage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(), false);
    }

    static String finishReason(JsonNode choice) {
        JsonNode reason = choice.path("finish_reason");
        return reason.isTextual() ? reason.textValue() : null;
    }
}
