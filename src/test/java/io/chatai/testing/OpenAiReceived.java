package io.chatai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OpenAI chat completions request back into neutral terms for {@link FakeOpenAi#received}, with its own
 * parsing of OpenAI's wire format (never the adapter's): content as a string or parts ({@code text},
 * {@code image_url} with {@code data:} URLs read as inline bytes), assistant {@code tool_calls} and
 * {@code reasoning_content}, tool messages by {@code tool_call_id}. Stateless.
 */
final class OpenAiReceived {
    private OpenAiReceived() {
    }

    static Received read(JsonNode body) {
        StringBuilder system = null;
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            String role = message.path("role").asText();
            switch (role) {
                case "system", "developer" -> system = (system == null ? new StringBuilder() : system.append("\n\n"))
                        .append(text(message.path("content")));
                case "user" -> messages.add(new ChatMessage.User(parts(message.path("content")),
                        message.path("name").isTextual() ? message.path("name").textValue() : null));
                case "assistant" -> messages.add(assistant(message));
                case "tool" -> messages.add(new ChatMessage.Tool(message.path("tool_call_id").asText(), null,
                        List.of(new Part.Text(text(message.path("content")))), false));
                default -> throw new IllegalArgumentException("unknown role " + role);
            }
        }
        List<String> tools = new ArrayList<>();
        body.path("tools").forEach(tool -> tools.add(tool.path("function").path("name").asText()));
        JsonNode choice = body.path("tool_choice");
        String toolChoice = choice.isTextual() ? choice.textValue()
                : choice.isObject() ? choice.path("function").path("name").asText() : null;
        JsonNode stop = body.path("stop");
        List<String> stops = new ArrayList<>();
        if (stop.isTextual()) {
            stops.add(stop.textValue());
        } else {
            stop.forEach(s -> stops.add(s.asText()));
        }
        JsonNode format = body.path("response_format");
        JsonNode schema = format.path("type").asText().equals("json_schema") ? format.path("json_schema").path("schema") : null;
        JsonNode max = body.has("max_completion_tokens") ? body.path("max_completion_tokens") : body.path("max_tokens");
        return new Received(system == null ? null : system.toString(), messages, tools, toolChoice, stops, schema,
                max.isInt() ? max.intValue() : null);
    }

    private static ChatMessage assistant(JsonNode message) {
        List<Part> parts = new ArrayList<>();
        JsonNode reasoning = message.path("reasoning_content");
        if (reasoning.isTextual()) {
            parts.add(new Part.Reasoning(reasoning.textValue(), null, null, "openai"));
        }
        String text = text(message.path("content"));
        if (!text.isEmpty()) {
            parts.add(new Part.Text(text));
        }
        for (JsonNode call : message.path("tool_calls")) {
            if (!call.path("type").asText().equals("function")) {
                throw new IllegalArgumentException("a tool call of type " + call.path("type"));
            }
            JsonNode function = call.path("function");
            if (!function.path("arguments").isTextual()) {
                throw new IllegalArgumentException("arguments must be a JSON string: " + function);
            }
            parts.add(new Part.ToolCall(call.path("id").asText(), function.path("name").asText(),
                    function.path("arguments").textValue(), null));
        }
        return new ChatMessage.Assistant(parts);
    }

    private static List<Part> parts(JsonNode content) {
        if (content.isTextual()) {
            return List.of(new Part.Text(content.textValue()));
        }
        List<Part> parts = new ArrayList<>();
        for (JsonNode part : content) {
            switch (part.path("type").asText()) {
                case "text" -> parts.add(new Part.Text(part.path("text").asText()));
                case "image_url" -> parts.add(new Part.Image(image(part.path("image_url").path("url").asText()),
                        part.path("image_url").path("detail").isTextual() ? part.path("image_url").path("detail").textValue() : null));
                default -> throw new IllegalArgumentException("unknown content part " + part);
            }
        }
        return parts;
    }

    /** {@code data:<mime>;base64,<bytes>} as inline bytes, anything else as a URL. */
    private static ImageSource image(String url) {
        if (url.startsWith("data:")) {
            int separator = url.indexOf(";base64,");
            if (separator < 0) {
                throw new IllegalArgumentException("a data URL without base64: " + url);
            }
            return new ImageSource.Inline(url.substring("data:".length(), separator), url.substring(separator + ";base64,".length()));
        }
        return new ImageSource.Url(url);
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (!part.path("type").asText().equals("text")) {
                throw new IllegalArgumentException("only text parts belong here: " + part);
            }
            text.append(part.path("text").asText());
        }
        return text.toString();
    }
}
