package io.chatai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * A GenerateContentRequest read back into neutral terms ({@link Received}), by this fake's own reading of
 * Gemini's wire format: {@code systemInstruction}, {@code contents} (a {@code model} content is an assistant
 * message; a {@code user} content's {@code functionResponse} parts are tool results, named by their function
 * since Gemini has no call ids, and its other parts a user message), {@code tools}, {@code toolConfig} and
 * {@code generationConfig}. Stateless.
 */
final class GeminiReceived {
    private GeminiReceived() {
    }

    static Received read(JsonNode body) {
        List<String> system = new ArrayList<>();
        body.path("systemInstruction").path("parts").forEach(part -> system.add(part.path("text").asText()));
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode content : body.path("contents")) {
            if (content.path("role").asText().equals("model")) {
                messages.add(new ChatMessage.Assistant(modelParts(content.path("parts"))));
                continue;
            }
            List<Part> user = new ArrayList<>();
            for (JsonNode part : content.path("parts")) {
                if (part.path("functionResponse").isObject()) {
                    messages.add(toolResult(part.path("functionResponse")));
                } else if (part.has("text")) {
                    user.add(new Part.Text(part.path("text").asText()));
                } else if (part.has("inlineData") || part.has("fileData")) {
                    user.add(image(part));
                }
            }
            if (!user.isEmpty()) {
                messages.add(new ChatMessage.User(user, null));
            }
        }
        List<String> toolNames = new ArrayList<>();
        body.path("tools").forEach(tool -> tool.path("functionDeclarations").forEach(f -> toolNames.add(f.path("name").asText())));
        JsonNode config = body.path("generationConfig");
        List<String> stop = new ArrayList<>();
        config.path("stopSequences").forEach(s -> stop.add(s.asText()));
        JsonNode schema = config.has("responseJsonSchema") ? config.get("responseJsonSchema") : config.get("responseSchema");
        return new Received(system.isEmpty() ? null : String.join("\n", system), messages, toolNames,
                toolChoice(body.path("toolConfig").path("functionCallingConfig")), stop, schema,
                config.path("maxOutputTokens").isNumber() ? config.path("maxOutputTokens").asInt() : null);
    }

    private static List<Part> modelParts(JsonNode parts) {
        List<Part> content = new ArrayList<>();
        for (JsonNode part : parts) {
            String signature = part.path("thoughtSignature").isTextual() ? part.path("thoughtSignature").asText() : null;
            String text = part.path("text").isTextual() ? part.path("text").asText() : null;
            if (part.path("functionCall").isObject()) {
                JsonNode call = part.path("functionCall");
                String name = call.path("name").asText();
                content.add(new Part.ToolCall(name, name, call.path("args").toString(), signature));
            } else if (part.path("thought").asBoolean(false)) {
                if ((text != null && !text.isEmpty()) || signature != null) {
                    content.add(new Part.Reasoning(text == null || text.isEmpty() ? null : text, signature, null, Part.Reasoning.GEMINI));
                }
            } else {
                if (text != null && !text.isEmpty()) {
                    content.add(new Part.Text(text));
                }
                if (signature != null) {
                    content.add(new Part.Reasoning(null, signature, null, Part.Reasoning.GEMINI));
                }
            }
        }
        return content;
    }

    /** {@code {"result": text}} reads as the text, {@code {"error": …}} as a failed call, any other object as its JSON. */
    private static ChatMessage.Tool toolResult(JsonNode response) {
        String name = response.path("name").asText();
        JsonNode result = response.path("response");
        boolean error = result.size() == 1 && result.has("error");
        String text;
        if (error) {
            text = result.get("error").isTextual() ? result.get("error").asText() : result.get("error").toString();
        } else if (result.size() == 1 && result.path("result").isTextual()) {
            text = result.get("result").asText();
        } else {
            text = result.toString();
        }
        List<Part> content = new ArrayList<>(List.of(new Part.Text(text)));
        response.path("parts").forEach(part -> content.add(image(part)));
        return new ChatMessage.Tool(name, name, content, error);
    }

    private static Part.Image image(JsonNode part) {
        if (part.has("fileData")) {
            return new Part.Image(new ImageSource.Url(part.path("fileData").path("fileUri").asText()), null);
        }
        JsonNode data = part.path("inlineData");
        return new Part.Image(new ImageSource.Inline(data.path("mimeType").asText(), data.path("data").asText()), null);
    }

    /** Gemini's modes in OpenAI's words; {@code ANY} of one allowed function is that function. */
    private static String toolChoice(JsonNode config) {
        if (!config.path("mode").isTextual()) {
            return null;
        }
        JsonNode allowed = config.path("allowedFunctionNames");
        return switch (config.path("mode").asText()) {
            case "AUTO" -> "auto";
            case "NONE" -> "none";
            case "ANY" -> allowed.size() == 1 ? allowed.get(0).asText() : "required";
            default -> config.path("mode").asText();
        };
    }
}
