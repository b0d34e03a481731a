package io.chatai.gateway;

import static io.chatai.gateway.Params.absent;
import static io.chatai.gateway.Params.requiredString;
import static io.chatai.gateway.Params.string;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code system} and {@code messages} of an Anthropic Messages request read into the rich model: text,
 * images ({@code base64} and {@code url} sources), {@code tool_use} and {@code tool_result} (each result its
 * own tool message, named after its call), {@code thinking} with its signature and {@code redacted_thinking}
 * kept for the provider that made them ({@link AnthropicFrontState}). {@code cache_control} is read as a hint
 * only Anthropic honours. Blocks only an Anthropic upstream understands (documents, search results, server
 * tools' blocks) are noted as relay-only, not refused. Not thread-safe (one per request).
 */
final class AnthropicFrontMessages {
    private static final int MAX_TEXT = Integer.MAX_VALUE; // the body limit bounds every text
    private final List<ChatMessage> messages = new ArrayList<>();
    private final Map<String, String> toolNames = new HashMap<>();
    private String relayOnly;

    /** The conversation (system prompt first) and the first block only a relay can carry, or null. */
    record Parsed(List<ChatMessage> messages, String relayOnly) {
    }

    static Parsed parse(JsonNode system, JsonNode messages) {
        AnthropicFrontMessages reader = new AnthropicFrontMessages();
        reader.system(system);
        if (absent(messages)) {
            throw Params.missing("messages");
        }
        if (!messages.isArray()) {
            throw Params.wrongType("messages", "an array", messages);
        }
        if (messages.isEmpty()) {
            throw Params.invalid("messages", "messages: at least one message is required");
        }
        for (int i = 0; i < messages.size(); i++) {
            reader.message(messages.get(i), "messages[" + i + "]");
        }
        return new Parsed(List.copyOf(reader.messages), reader.relayOnly);
    }

    private void relayOnly(String param) {
        if (relayOnly == null) {
            relayOnly = param;
        }
    }

    private void system(JsonNode system) {
        if (absent(system)) {
            return;
        }
        if (system.isTextual()) {
            String text = string(system, "system", MAX_TEXT);
            if (!text.isEmpty()) {
                messages.add(new ChatMessage.System(text));
            }
            return;
        }
        if (!system.isArray()) {
            throw Params.wrongType("system", "a string or an array of text blocks", system);
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < system.size(); i++) {
            String at = "system[" + i + "]";
            if (!"text".equals(type(system.get(i), at))) {
                throw Params.invalid(at + ".type", at + ".type: system blocks must be of type 'text'");
            }
            texts.add(requiredString(system.get(i).get("text"), at + ".text", MAX_TEXT));
        }
        if (!texts.isEmpty()) {
            messages.add(new ChatMessage.System(String.join("\n\n", texts)));
        }
    }

    private void message(JsonNode message, String at) {
        if (!message.isObject()) {
            throw Params.wrongType(at, "an object", message);
        }
        String role = requiredString(message.get("role"), at + ".role", 32);
        JsonNode content = message.get("content");
        if (absent(content)) {
            throw Params.missing(at + ".content");
        }
        switch (role) {
            case "user" -> user(content, at + ".content");
            case "assistant" -> assistant(content, at + ".content");
            default -> throw Params.invalid(at + ".role", at + ".role: must be 'user' or 'assistant', got '" + role + "'");
        }
    }

    private void user(JsonNode content, String at) {
        if (content.isTextual()) {
            messages.add(new ChatMessage.User(List.of(new Part.Text(string(content, at, MAX_TEXT))), null));
            return;
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < blocks(content, at).size(); i++) {
            JsonNode block = content.get(i);
            String blockAt = at + "[" + i + "]";
            switch (type(block, blockAt)) {
                case "text" -> parts.add(new Part.Text(requiredString(block.get("text"), blockAt + ".text", MAX_TEXT)));
                case "image" -> parts.add(image(block, blockAt));
                case "tool_result" -> {
                    if (!parts.isEmpty()) {
                        messages.add(new ChatMessage.User(parts, null));
                        parts = new ArrayList<>();
                    }
                    messages.add(toolResult(block, blockAt));
                }
                default -> relayOnly(blockAt); // document, search_result, and whatever comes next: Anthropic's to judge
            }
        }
        if (!parts.isEmpty()) {
            messages.add(new ChatMessage.User(parts, null));
        }
    }

    private ChatMessage.Tool toolResult(JsonNode block, String at) {
        String id = requiredString(block.get("tool_use_id"), at + ".tool_use_id", 1024);
        Boolean error = Params.bool(block.get("is_error"), at + ".is_error");
        JsonNode content = block.get("content");
        List<Part> parts = new ArrayList<>();
        if (content != null && content.isTextual()) {
            parts.add(new Part.Text(content.textValue()));
        } else if (!absent(content)) {
            for (int i = 0; i < blocks(content, at + ".content").size(); i++) {
                JsonNode inner = content.get(i);
                String innerAt = at + ".content[" + i + "]";
                switch (type(inner, innerAt)) {
                    case "text" -> parts.add(new Part.Text(requiredString(inner.get("text"), innerAt + ".text", MAX_TEXT)));
                    case "image" -> parts.add(image(inner, innerAt));
                    default -> relayOnly(innerAt);
                }
            }
        }
        return new ChatMessage.Tool(id, toolNames.get(id), parts, Boolean.TRUE.equals(error));
    }

    private void assistant(JsonNode content, String at) {
        if (content.isTextual()) {
            String text = string(content, at, MAX_TEXT);
            if (!text.isEmpty()) {
                messages.add(new ChatMessage.Assistant(List.of(new Part.Text(text))));
            }
            return;
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < blocks(content, at).size(); i++) {
            JsonNode block = content.get(i);
            String blockAt = at + "[" + i + "]";
            switch (type(block, blockAt)) {
                case "text" -> {
                    String text = requiredString(block.get("text"), blockAt + ".text", MAX_TEXT);
                    if (!text.isEmpty()) {
                        parts.add(new Part.Text(text));
                    }
                }
                case "thinking" -> {
                    String thinking = string(block.get("thinking"), blockAt + ".thinking", MAX_TEXT);
                    String signature = string(block.get("signature"), blockAt + ".signature", MAX_TEXT);
                    Part.Reasoning reasoning = AnthropicFrontState.reasoning(thinking, signature);
                    if (reasoning != null) {
                        parts.add(reasoning);
                    }
                }
                case "redacted_thinking" -> parts.add(new Part.Reasoning(null, null,
                        requiredString(block.get("data"), blockAt + ".data", MAX_TEXT), Part.Reasoning.ANTHROPIC));
                case "tool_use" -> {
                    String id = requiredString(block.get("id"), blockAt + ".id", 1024);
                    String name = requiredString(block.get("name"), blockAt + ".name", 256);
                    JsonNode input = block.get("input");
                    if (!absent(input) && !input.isObject()) {
                        throw Params.wrongType(blockAt + ".input", "an object", input);
                    }
                    toolNames.put(id, name);
                    parts.add(new Part.ToolCall(id, name, absent(input) ? "{}" : input.toString(),
                            AnthropicFrontState.callSignature(id)));
                }
                default -> relayOnly(blockAt); // server_tool_use, web_search_tool_result...: Anthropic's own
            }
        }
        if (!parts.isEmpty()) {
            messages.add(new ChatMessage.Assistant(parts));
        }
    }

    private static Part.Image image(JsonNode block, String at) {
        JsonNode source = block.get("source");
        if (absent(source) || !source.isObject()) {
            throw Params.missing(at + ".source");
        }
        String kind = requiredString(source.get("type"), at + ".source.type", 32);
        return switch (kind) {
            case "base64" -> new Part.Image(new ImageSource.Inline(
                    requiredString(source.get("media_type"), at + ".source.media_type", 64),
                    requiredString(source.get("data"), at + ".source.data", MAX_TEXT)), null);
            case "url" -> new Part.Image(new ImageSource.Url(requiredString(source.get("url"), at + ".source.url", 8192)), null);
            default -> throw Params.invalid(at + ".source.type", at + ".source.type: 'base64' or 'url', got '" + kind + "'");
        };
    }

    private static JsonNode blocks(JsonNode content, String at) {
        if (!content.isArray()) {
            throw Params.wrongType(at, "a string or an array of content blocks", content);
        }
        return content;
    }

    private static String type(JsonNode block, String at) {
        if (!block.isObject()) {
            throw Params.wrongType(at, "an object", block);
        }
        return requiredString(block.get("type"), at + ".type", 64);
    }
}
