package io.chatai.provider.gemini;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Gemini generateContent wire format: the request as DTOs, and the response fields this adapter reads.
 * Internal to the adapter; immutable.
 */
final class GeminiWire {
    private GeminiWire() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Request(Content systemInstruction, List<Content> contents, List<Tool> tools, ToolConfig toolConfig,
                   GenerationConfig generationConfig) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Content(String role, List<Part> parts) {
        boolean onlyFunctionResponses() {
            return parts.stream().allMatch(part -> part.functionResponse() != null);
        }
    }

    /** One part: exactly one of text, inlineData, functionCall, functionResponse; a signature may ride on any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Part(String text, Boolean thought, Blob inlineData, FunctionCall functionCall,
                FunctionResponse functionResponse, String thoughtSignature) {
        static Part text(String text) {
            return new Part(text, null, null, null, null, null);
        }

        static Part thought(String text, String signature) {
            return new Part(text, true, null, null, null, signature);
        }

        static Part inline(String mimeType, String base64) {
            return new Part(null, null, new Blob(mimeType, base64), null, null, null);
        }

        static Part call(String name, JsonNode args, String signature) {
            return new Part(null, null, null, new FunctionCall(name, args), null, signature);
        }

        static Part response(FunctionResponse response) {
            return new Part(null, null, null, null, response, null);
        }

        Part withSignature(String signature) {
            return new Part(text, thought, inlineData, functionCall, functionResponse, signature);
        }
    }

    record Blob(String mimeType, String data) {
    }

    record FunctionCall(String name, JsonNode args) {
    }

    /** @param parts images of the result (Gemini's multimodal function responses), or null */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FunctionResponse(String name, JsonNode response, List<FunctionResponsePart> parts) {
    }

    record FunctionResponsePart(Blob inlineData) {
    }

    record Tool(List<FunctionDeclaration> functionDeclarations) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FunctionDeclaration(String name, String description, JsonNode parametersJsonSchema) {
    }

    record ToolConfig(FunctionCallingConfig functionCallingConfig) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FunctionCallingConfig(String mode, List<String> allowedFunctionNames) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerationConfig(Double temperature, Double topP, Integer topK, Integer maxOutputTokens,
                            List<String> stopSequences, Integer seed, Double presencePenalty, Double frequencyPenalty,
                            Integer candidateCount, String responseMimeType, JsonNode responseJsonSchema,
                            Boolean responseLogprobs, Integer logprobs, ThinkingConfig thinkingConfig) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ThinkingConfig(Integer thinkingBudget, String thinkingLevel, Boolean includeThoughts) {
    }

    /**
     * {@code usageMetadata}, or null when absent. Thinking tokens are billed as output, so they count as
     * completion tokens (and as reasoning tokens); {@code promptTokenCount} already holds the cached ones.
     * {@code candidatesTokenCount} is absent when nothing was generated.
     */
    static TokenUsage usage(JsonNode response) {
        JsonNode usage = response.path("usageMetadata");
        if (!usage.path("promptTokenCount").isNumber()) {
            return null;
        }
        int thoughts = usage.path("thoughtsTokenCount").asInt();
        return new TokenUsage(usage.path("promptTokenCount").asInt(), usage.path("candidatesTokenCount").asInt() + thoughts,
                usage.path("cachedContentTokenCount").asInt(), 0, thoughts, false);
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

    /**
     * Gemini's finish reasons in OpenAI's words. Gemini ends a function call with {@code STOP}; the caller
     * turns that into {@link FinishReason#TOOL_CALLS} when the answer holds a call.
     */
    static FinishReason finish(String reason) {
        return switch (reason == null ? "" : reason) {
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                 "IMAGE_PROHIBITED_CONTENT" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }
}
