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
 * The {@code messages} of a chat-completions request read into the rich model: text and image parts, an
 * assistant's tool calls (its content may then be null), reasoning sent back ({@code thinking_blocks} as
 * Anthropic reasoning with its signatures and redacted data, else {@code reasoning_content} as OpenAI-style
 * reasoning text), Gemini's {@code extra_content.google.thought_signature} on a tool call, tool results with
 * their call's function name, {@code name} on user messages, {@code developer} as system. What the model
 * has no room for (audio and file parts, legacy {@code function} messages and {@code function_call}) is noted
 * as the first field only a relay can carry, not refused. Not thread-safe (one per request).
 */
final class OpenAiMessages {
    private static final int MAX_MESSAGES = 10_000;
    private static final int MAX_TEXT = Integer.MAX_VALUE;

    private final List<ChatMessage> messages = new ArrayList<>();
    private final Map<String, String> toolNames = new HashMap<>();
    private String relayOnly;

    /** The messages and the first field only a relay can carry (or null). */
    record Parsed(List<ChatMessage> messages, String relayOnly) {
    }

    static Parsed parse(JsonNode messages) {
        if (absent(messages)) {
            throw Params.missing("messages");
        }
        if (!messages.isArray()) {
            throw Params.wrongType("messages", "an array", messages);
        }
        if (messages.isEmpty()) {
            throw Params.invalid("messages", "Invalid 'messages': empty array. Expected an array with minimum length 1.");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw Params.invalid("messages", "Invalid 'messages': at most " + MAX_MESSAGES + " messages, got " + messages.size() + ".");
        }
        OpenAiMessages reader = new OpenAiMessages();
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

    private void message(JsonNode node, String at) {
        if (!node.isObject()) {
            throw Params.wrongType(at, "an object", node);
        }
        String role = requiredString(node.get("role"), at + ".role", 32);
        JsonNode content = node.get("content");
        switch (role) {
            case "system", "developer" -> messages.add(new ChatMessage.System(ContentParts.text(required(content, at), at + ".content")));
            case "user" -> messages.add(new ChatMessage.User(userContent(required(content, at), at + ".content"),
                    string(node.get("name"), at + ".name", 256)));
            case "assistant" -> messages.add(assistant(node, at));
            case "tool" -> {
                String id = requiredString(node.get("tool_call_id"), at + ".tool_call_id", 1024);
                List<Part> result = new ArrayList<>();
                String text = ContentParts.text(required(content, at), at + ".content");
                result.add(new Part.Text(text));
                // The call's function name, else the tool message's own name (LangChain sends one).
                String name = toolNames.getOrDefault(id, string(node.get("name"), at + ".name", 256));
                messages.add(new ChatMessage.Tool(id, name, result, false));
            }
            case "function" -> relayOnly(at + ".role"); // the legacy function result: only an OpenAI upstream knows it
            default -> throw Params.invalid(at + ".role", "Invalid value: '" + role
                    + "'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool' and 'function'.");
        }
    }

    private static JsonNode required(JsonNode content, String at) {
        if (absent(content)) {
            throw Params.missing(at + ".content");
        }
        return content;
    }

    private List<Part> userContent(JsonNode content, String param) {
        if (content.isTextual()) {
            return List.of(new Part.Text(Params.text(param, content.textValue(), MAX_TEXT)));
        }
        if (!content.isArray()) {
            throw Params.wrongType(param, "a string or an array of content parts", content);
        }
        List<Part> parts = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String at = param + "[" + i + "]";
            switch (ContentParts.type(part, at)) {
                case "text" -> parts.add(new Part.Text(requiredString(part.get("text"), at + ".text", MAX_TEXT)));
                case "image_url" -> parts.add(image(part.get("image_url"), at + ".image_url"));
                default -> relayOnly(at); // input_audio, file and whatever comes next: the upstream's to judge
            }
        }
        return parts;
    }

    private static Part.Image image(JsonNode image, String at) {
        if (absent(image)) {
            throw Params.missing(at);
        }
        if (!image.isObject()) {
            throw Params.wrongType(at, "an object", image);
        }
        String url = requiredString(image.get("url"), at + ".url", MAX_TEXT);
        if (url.isEmpty()) {
            throw Params.invalid(at + ".url", "Invalid '" + at + ".url': an image URL or a data: URL is required.");
        }
        return new Part.Image(ImageSource.parse(url), string(image.get("detail"), at + ".detail", 16));
    }

    private ChatMessage.Assistant assistant(JsonNode node, String at) {
        List<Part> parts = new ArrayList<>();
        JsonNode blocks = node.get("thinking_blocks");
        if (!absent(blocks)) {
            parts.addAll(ThinkingBlocks.read(blocks, at + ".thinking_blocks"));
        } else {
            String reasoning = string(node.get("reasoning_content"), at + ".reasoning_content", MAX_TEXT);
            if (reasoning != null && !reasoning.isEmpty()) {
                parts.add(Part.Reasoning.text(reasoning, Part.Reasoning.OPENAI));
            }
        }
        JsonNode content = node.get("content");
        if (!absent(content)) {
            String text = ContentParts.assistantText(content, at + ".content");
            if (!text.isEmpty()) {
                parts.add(new Part.Text(text));
            }
        }
        JsonNode calls = node.get("tool_calls");
        boolean hasCalls = !absent(calls) && calls.isArray() && !calls.isEmpty();
        if (!absent(calls)) {
            if (!calls.isArray()) {
                throw Params.wrongType(at + ".tool_calls", "an array", calls);
            }
            for (int i = 0; i < calls.size(); i++) {
                Part.ToolCall call = toolCall(calls.get(i), at + ".tool_calls[" + i + "]");
                if (call != null) {
                    toolNames.put(call.id(), call.name());
                    parts.add(call);
                }
            }
        }
        boolean legacy = !absent(node.get("function_call")) || !absent(node.get("audio"));
        if (!absent(node.get("function_call"))) {
            relayOnly(at + ".function_call");
        }
        if (!absent(node.get("audio"))) {
            relayOnly(at + ".audio");
        }
        if (absent(content) && !hasCalls && !legacy) {
            throw Params.invalid(at + ".content", "Invalid '" + at + "': an assistant message needs content unless it has tool_calls.");
        }
        return new ChatMessage.Assistant(parts);
    }

    private Part.ToolCall toolCall(JsonNode call, String at) {
        if (!call.isObject()) {
            throw Params.wrongType(at, "an object", call);
        }
        String type = string(call.get("type"), at + ".type", 32);
        if (type != null && !type.equals("function")) {
            relayOnly(at); // a custom tool's call
            return null;
        }
        String id = requiredString(call.get("id"), at + ".id", 1024);
        JsonNode function = call.get("function");
        if (absent(function)) {
            throw Params.missing(at + ".function");
        }
        if (!function.isObject()) {
            throw Params.wrongType(at + ".function", "an object", function);
        }
        String name = requiredString(function.get("name"), at + ".function.name", 256);
        String arguments = string(function.get("arguments"), at + ".function.arguments", MAX_TEXT);
        String signature = string(call.path("extra_content").path("google").get("thought_signature"),
                at + ".extra_content.google.thought_signature", MAX_TEXT);
        return new Part.ToolCall(id, name, arguments, signature);
    }
}
