package io.chatai.provider.gemini;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The Gemini generateContent wire format, as far as this adapter uses it (text only). Internal to the adapter. */
final class GeminiWire {
    private GeminiWire() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Request(Content systemInstruction, List<Content> contents, GenerationConfig generationConfig) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Content(String role, List<Part> parts) {
    }

    record Part(String text) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerationConfig(Double temperature, Double topP, Integer maxOutputTokens) {
    }

    /**
     * System messages become {@code systemInstruction}; the assistant is {@code model}. Empty messages are
     * left out: Gemini refuses a content without text.
     */
    static Request request(ModelRequest request) {
        List<Part> system = new ArrayList<>();
        List<Content> contents = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            if (message.text().isEmpty()) {
                continue;
            }
            switch (message.role()) {
                case SYSTEM -> system.add(new Part(message.text()));
                case USER -> contents.add(new Content("user", List.of(new Part(message.text()))));
                case ASSISTANT -> contents.add(new Content("model", List.of(new Part(message.text()))));
                case TOOL -> throw new IllegalStateException("tool messages are not mapped yet");
            }
        }
        RequestOptions options = request.options();
        boolean configured = options.temperature() != null || options.topP() != null || options.maxTokens() != null;
        return new Request(system.isEmpty() ? null : new Content(null, system), contents,
                configured ? new GenerationConfig(options.temperature(), options.topP(), options.maxTokens()) : null);
    }

    /**
     * {@code usageMetadata}, or null when absent. Thinking tokens are billed as output, so they count as
     * completion tokens; {@code candidatesTokenCount} is absent when nothing was generated.
     */
    static TokenUsage usage(JsonNode response) {
        JsonNode usage = response.path("usageMetadata");
        if (!usage.path("promptTokenCount").isNumber()) {
            return null;
        }
        return new TokenUsage(usage.path("promptTokenCount").asInt(),
                usage.path("candidatesTokenCount").asInt() + usage.path("thoughtsTokenCount").asInt(), false);
    }

    /** The answer's text in one response or chunk: the first candidate's text parts, thoughts left out. */
    static String text(JsonNode response) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : candidate(response).path("content").path("parts")) {
            if (part.path("text").isTextual() && !part.path("thought").asBoolean(false)) {
                text.append(part.path("text").textValue());
            }
        }
        return text.toString();
    }

    /** The finish reason, which on a stream is also its end marker; null while the answer goes on. */
    static String finishReason(JsonNode response) {
        JsonNode reason = candidate(response).path("finishReason");
        return reason.isTextual() && !reason.textValue().equals("FINISH_REASON_UNSPECIFIED") ? reason.textValue() : null;
    }

    /** Why the prompt itself was refused (no candidates at all), or null. */
    static String blockReason(JsonNode response) {
        JsonNode reason = response.path("promptFeedback").path("blockReason");
        return reason.isTextual() && !candidate(response).isObject() ? reason.textValue() : null;
    }

    static JsonNode candidate(JsonNode response) {
        return response.path("candidates").path(0);
    }

    /** A model name as one path segment: every byte outside the unreserved set percent-encoded. */
    static String pathSegment(String model) {
        StringBuilder out = new StringBuilder();
        for (byte b : model.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** Gemini's finish reasons in OpenAI's words. */
    static FinishReason finish(String reason) {
        return switch (reason == null ? "" : reason) {
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }
}
