package io.chatai.gateway;

import static io.chatai.gateway.Params.string;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.Part;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's reasoning state on OpenAI's message shape, as LiteLLM and the clients built for it spell it:
 * {@code thinking_blocks}, each {@code {"type": "thinking", "thinking", "signature"}} or
 * {@code {"type": "redacted_thinking", "data"}}. Read back into {@link Part.Reasoning} of origin
 * {@code anthropic}, so the Anthropic adapter sends each block back byte for byte. Stateless.
 */
final class ThinkingBlocks {
    private ThinkingBlocks() {
    }

    static List<Part> read(JsonNode blocks, String param) {
        if (!blocks.isArray()) {
            throw Params.wrongType(param, "an array", blocks);
        }
        List<Part> parts = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            String at = param + "[" + i + "]";
            switch (ContentParts.type(block, at)) {
                case "thinking" -> {
                    String thinking = string(block.get("thinking"), at + ".thinking", Integer.MAX_VALUE);
                    String signature = string(block.get("signature"), at + ".signature", Integer.MAX_VALUE);
                    if (thinking != null || signature != null) {
                        parts.add(new Part.Reasoning(thinking == null ? "" : thinking, signature, null, Part.Reasoning.ANTHROPIC));
                    }
                }
                case "redacted_thinking" -> parts.add(new Part.Reasoning(null, null,
                        Params.requiredString(block.get("data"), at + ".data", Integer.MAX_VALUE), Part.Reasoning.ANTHROPIC));
                default -> throw Params.invalid(at + ".type", "Invalid value: '" + block.path("type").asText()
                        + "'. Supported values are: 'thinking' and 'redacted_thinking'.");
            }
        }
        return parts;
    }

    /** The block of one reasoning part whose state an Anthropic upstream wants back, or null when it has none. */
    static Map<String, Object> of(Part.Reasoning reasoning) {
        if (!reasoning.hasStateFor(Part.Reasoning.ANTHROPIC)) {
            return null;
        }
        Map<String, Object> block = new LinkedHashMap<>();
        if (reasoning.redacted() != null) {
            block.put("type", "redacted_thinking");
            block.put("data", reasoning.redacted());
        } else {
            block.put("type", "thinking");
            block.put("thinking", reasoning.text() == null ? "" : reasoning.text());
            block.put("signature", reasoning.signature());
        }
        return block;
    }
}
