package io.chatai.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.ApiException;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.JsonBody;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@code POST /v1/chat/completions} body: text chat as OpenAI's SDKs send it. The caller's
 * messages, system ones included, pass through unchanged. Features this gateway cannot honour on every
 * provider (tools, images, several choices) are refused with 400 rather than silently dropped.
 * Immutable.
 *
 * @param user the OpenAI {@code user} field: the per-user rate limit and usage records use it
 */
public record CompletionRequest(ModelRequest model, boolean stream, boolean includeUsage, String user) {
    private static final int MAX_MESSAGES = 10_000;

    public static CompletionRequest parse(JsonBody body, ObjectNode raw) {
        String model = body.requiredString("model", 128);
        JsonNode messages = raw.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages must be a non-empty array");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw ApiException.invalid("messages may hold at most " + MAX_MESSAGES + " entries");
        }
        List<ChatMessage> parsed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            parsed.add(message(messages.get(i), "messages[" + i + "]"));
        }
        refuse(raw, "tools", "tool calling is not supported by this gateway");
        refuse(raw, "functions", "function calling is not supported by this gateway");
        Integer n = body.optionalInteger("n", 1, 128);
        if (n != null && n != 1) {
            throw ApiException.invalid("n must be 1: this gateway returns one choice");
        }
        Integer maxTokens = body.optionalInteger("max_completion_tokens", 1, 10_000_000);
        if (maxTokens == null) {
            maxTokens = body.optionalInteger("max_tokens", 1, 10_000_000);
        }
        boolean stream = Boolean.TRUE.equals(body.optionalBoolean("stream"));
        JsonNode options = raw.path("stream_options");
        if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
            throw ApiException.invalid("stream_options must be an object");
        }
        boolean includeUsage = options.path("include_usage").asBoolean(false);
        return new CompletionRequest(new ModelRequest(model, parsed, RequestOptions.builder()
                .temperature(body.optionalNumber("temperature", 0, 2)).topP(body.optionalNumber("top_p", 0, 1))
                .maxTokens(maxTokens).build()), stream, includeUsage, body.optionalString("user", 64));
    }

    private static ChatMessage message(JsonNode node, String field) {
        if (!node.isObject()) {
            throw ApiException.invalid(field + " must be an object");
        }
        JsonBody message = new JsonBody((ObjectNode) node);
        String role = message.requiredString("role", 32);
        ChatMessage.Role parsedRole = switch (role) {
            case "system", "developer" -> ChatMessage.Role.SYSTEM;
            case "user" -> ChatMessage.Role.USER;
            case "assistant" -> ChatMessage.Role.ASSISTANT;
            default -> throw ApiException.invalid(field + ".role '" + role + "' is not supported (system, developer, user or assistant)");
        };
        return ChatMessage.ofText(parsedRole, content(node.get("content"), field + ".content"));
    }

    /** A string, or an array of text parts joined as OpenAI joins them. */
    private static String content(JsonNode content, String field) {
        if (content == null || content.isNull()) {
            throw ApiException.invalid(field + " is required");
        }
        if (content.isTextual()) {
            return JsonBody.checkText(field, content.textValue(), 0, Integer.MAX_VALUE);
        }
        if (!content.isArray()) {
            throw ApiException.invalid(field + " must be a string or an array of text parts");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            if (!part.path("type").asText().equals("text") || !part.path("text").isTextual()) {
                throw ApiException.invalid(field + "[" + i + "] must be a text part; images and audio are not supported");
            }
            text.append(JsonBody.checkText(field + "[" + i + "].text", part.path("text").textValue(), 0, Integer.MAX_VALUE));
        }
        return text.toString();
    }

    private static void refuse(ObjectNode raw, String field, String why) {
        JsonNode value = raw.get(field);
        if (value != null && !value.isNull() && !(value.isArray() && value.isEmpty())) {
            throw ApiException.invalid(field + ": " + why);
        }
    }
}
