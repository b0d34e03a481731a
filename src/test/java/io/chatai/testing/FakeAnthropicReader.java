package io.chatai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an Anthropic Messages request back into neutral {@link Received} terms for {@link FakeAnthropic}, by
 * the Messages API reference and independently of the adapter: {@code system} as a string or text blocks,
 * {@code content} as a string or blocks, {@code tool_result} blocks as tool messages (in the order they
 * appear, before the rest of their user turn), {@code tool_choice} in OpenAI's words and the schema of
 * {@code output_config.format}. Stateless.
 */
final class FakeAnthropicReader {
    private FakeAnthropicReader() {
    }

    static Received read(JsonNode body) {
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            if ("assistant".equals(message.path("role").asText())) {
                messages.add(new ChatMessage.Assistant(parts(message.path("content"))));
            } else {
                List<Part> rest = new ArrayList<>();
                for (JsonNode block : blocks(message.path("content"))) {
                    if ("tool_result".equals(block.path("type").asText())) {
                        messages.add(new ChatMessage.Tool(block.path("tool_use_id").asText(), null, parts(block.path("content")),
                                block.path("is_error").asBoolean(false)));
                    } else {
                        rest.addAll(parts(block));
                    }
                }
                if (!rest.isEmpty()) {
                    messages.add(new ChatMessage.User(rest, null));
                }
            }
        }
        List<String> tools = new ArrayList<>();
        body.path("tools").forEach(tool -> tools.add(tool.path("name").asText()));
        List<String> stop = new ArrayList<>();
        body.path("stop_sequences").forEach(sequence -> stop.add(sequence.asText()));
        JsonNode format = body.path("output_config").path("format");
        return new Received(text(body.path("system")), messages, tools, toolChoice(body.path("tool_choice")), stop,
                "json_schema".equals(format.path("type").asText()) ? format.path("schema") : null,
                body.path("max_tokens").isInt() ? body.path("max_tokens").asInt() : null);
    }

    /** A string or a list of text blocks, joined; null when absent. */
    static String text(JsonNode content) {
        if (content.isMissingNode() || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asText())) {
                text.append(block.path("text").asText());
            }
        }
        return text.toString();
    }

    private static List<JsonNode> blocks(JsonNode content) {
        List<JsonNode> blocks = new ArrayList<>();
        if (content.isTextual()) {
            blocks.add(FakeUpstream.JSON.createObjectNode().put("type", "text").put("text", content.asText()));
        } else {
            content.forEach(blocks::add);
        }
        return blocks;
    }

    /** The parts of a content string, a list of blocks, or one block. */
    private static List<Part> parts(JsonNode content) {
        List<Part> parts = new ArrayList<>();
        List<JsonNode> blocks = content.isObject() ? List.of(content) : blocks(content);
        for (JsonNode block : blocks) {
            switch (block.path("type").asText()) {
                case "text" -> parts.add(new Part.Text(block.path("text").asText()));
                case "image" -> {
                    JsonNode source = block.path("source");
                    parts.add(new Part.Image("url".equals(source.path("type").asText())
                            ? new ImageSource.Url(source.path("url").asText())
                            : new ImageSource.Inline(source.path("media_type").asText(), source.path("data").asText()), null));
                }
                case "tool_use" -> parts.add(new Part.ToolCall(block.path("id").asText(), block.path("name").asText(),
                        block.path("input").toString(), null));
                case "thinking" -> parts.add(new Part.Reasoning(block.path("thinking").asText(),
                        block.path("signature").asText(null), null, "anthropic"));
                case "redacted_thinking" -> parts.add(new Part.Reasoning(null, null, block.path("data").asText(), "anthropic"));
                default -> throw new IllegalArgumentException("FakeAnthropic does not know block type " + block.path("type"));
            }
        }
        return parts;
    }

    private static String toolChoice(JsonNode choice) {
        return switch (choice.path("type").asText("")) {
            case "" -> null;
            case "any" -> "required";
            case "tool" -> choice.path("name").asText();
            default -> choice.path("type").asText(); // auto, none
        };
    }
}
