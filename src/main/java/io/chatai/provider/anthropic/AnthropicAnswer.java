package io.chatai.provider.anthropic;

import static io.chatai.provider.WireSupport.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Secrets;
import io.chatai.core.message.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole message's {@code content} blocks as the answer's parts, one to one and in order: {@code text},
 * {@code thinking} (with its signature), {@code redacted_thinking} and {@code tool_use} (its {@code input}
 * as the arguments' JSON text). Blocks of server tools and types added later carry nothing the model
 * layer holds and are skipped. Stateless.
 */
final class AnthropicAnswer {
    private AnthropicAnswer() {
    }

    static List<Part> parts(JsonNode content) {
        List<Part> parts = new ArrayList<>(content.size());
        for (JsonNode block : content) {
            Part part = part(block);
            if (part != null) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static Part part(JsonNode block) {
        String type = text(block, "type");
        return switch (type == null ? "" : type) {
            case "text" -> {
                String text = text(block, "text");
                yield text == null || text.isEmpty() ? null : new Part.Text(text);
            }
            case "thinking" -> {
                String thinking = text(block, "thinking");
                String signature = text(block, "signature");
                yield thinking == null && signature == null ? null
                        : new Part.Reasoning(thinking, signature, null, Part.Reasoning.ANTHROPIC);
            }
            case "redacted_thinking" -> {
                String data = text(block, "data");
                yield data == null ? null : new Part.Reasoning(null, null, data, Part.Reasoning.ANTHROPIC);
            }
            case "tool_use" -> {
                String id = text(block, "id");
                String name = text(block, "name");
                JsonNode input = block.path("input");
                yield new Part.ToolCall(id != null ? id : Secrets.newToken("toolu_", 24), name != null ? name : "",
                        input.isObject() ? input.toString() : "{}", null);
            }
            default -> null;
        };
    }
}
