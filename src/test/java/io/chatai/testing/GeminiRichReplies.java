package io.chatai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Reply.Rich} as Gemini answers it: {@code candidates[0].content.parts} of {@code text},
 * {@code thought: true} text and whole {@code functionCall}s, with a reasoning's {@code thoughtSignature} on
 * the first function call when there is one (Gemini signs the call), else on the part it belongs to (on the
 * part before it when the reasoning has no text). Streamed, each chunk holds one piece of at most 4
 * characters of a text or thought part (the signature on its last piece), or the answer's function calls
 * together, and the last chunk carries {@code finishReason} and the full {@code usageMetadata}. Stateless.
 */
final class GeminiRichReplies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GeminiRichReplies() {
    }

    static ObjectNode completion(Reply.Rich rich) {
        return response(parts(rich.parts()), rich, true);
    }

    /** The streamed chunks, each one GenerateContentResponse for one SSE {@code data:} line. */
    static List<ObjectNode> chunks(Reply.Rich rich) {
        List<List<ObjectNode>> chunks = new ArrayList<>();
        for (ObjectNode part : parts(rich.parts())) {
            if (part.has("functionCall")) {
                if (!chunks.isEmpty() && chunks.getLast().getFirst().has("functionCall")) {
                    chunks.getLast().add(part); // parallel calls arrive in one chunk
                } else {
                    chunks.add(new ArrayList<>(List.of(part)));
                }
                continue;
            }
            String text = part.path("text").asText();
            for (int at = 0; at == 0 || at < text.length(); at += 4) {
                ObjectNode piece = part.deepCopy().put("text", text.substring(at, Math.min(text.length(), at + 4)));
                if (at + 4 < text.length()) {
                    piece.remove("thoughtSignature");
                }
                chunks.add(new ArrayList<>(List.of(piece)));
            }
        }
        if (chunks.isEmpty()) {
            chunks.add(new ArrayList<>(List.of(JSON.createObjectNode().put("text", ""))));
        }
        List<ObjectNode> responses = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            responses.add(response(chunks.get(i), rich, i == chunks.size() - 1));
        }
        return responses;
    }

    private static List<ObjectNode> parts(List<Part> parts) {
        boolean calls = parts.stream().anyMatch(Part.ToolCall.class::isInstance);
        String callSignature = calls ? parts.stream().filter(Part.Reasoning.class::isInstance).map(p -> ((Part.Reasoning) p).signature())
                .filter(s -> s != null).findFirst().orElse(null) : null;
        List<ObjectNode> wire = new ArrayList<>();
        for (Part part : parts) {
            switch (part) {
                case Part.Text text -> wire.add(JSON.createObjectNode().put("text", text.text()));
                case Part.Reasoning reasoning -> {
                    String signature = calls ? null : reasoning.signature();
                    if (reasoning.text() != null) {
                        ObjectNode thought = JSON.createObjectNode().put("text", reasoning.text()).put("thought", true);
                        wire.add(signature == null ? thought : thought.put("thoughtSignature", signature));
                    } else if (signature != null) {
                        (wire.isEmpty() ? add(wire, JSON.createObjectNode().put("text", "")) : wire.getLast())
                                .put("thoughtSignature", signature);
                    }
                }
                case Part.ToolCall call -> {
                    ObjectNode node = JSON.createObjectNode();
                    node.putObject("functionCall").put("name", call.name()).set("args", args(call.arguments()));
                    String signature = call.signature() != null ? call.signature() : callSignature;
                    callSignature = null;
                    wire.add(signature == null ? node : node.put("thoughtSignature", signature));
                }
                case Part.Image image -> { }
            }
        }
        return wire;
    }

    private static ObjectNode add(List<ObjectNode> wire, ObjectNode part) {
        wire.add(part);
        return part;
    }

    private static JsonNode args(String arguments) {
        try {
            return JSON.readTree(arguments);
        } catch (Exception e) {
            throw new IllegalArgumentException("a Gemini function call's args are a JSON object: " + arguments, e);
        }
    }

    /** One GenerateContentResponse; {@code last} carries the finish reason and the whole usage. */
    private static ObjectNode response(List<ObjectNode> parts, Reply.Rich rich, boolean last) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode candidate = root.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.putArray("parts").addAll(parts);
        content.put("role", "model");
        if (last) {
            candidate.put("finishReason", finish(rich.finish()));
        }
        candidate.put("index", 0);
        TokenUsage usage = rich.usage();
        if (usage != null) {
            ObjectNode metadata = root.putObject("usageMetadata").put("promptTokenCount", usage.promptTokens());
            if (last) {
                metadata.put("candidatesTokenCount", usage.completionTokens() - usage.reasoningTokens());
            }
            metadata.put("totalTokenCount", usage.promptTokens() + (last ? usage.completionTokens() : 0));
            if (last && usage.cachedPromptTokens() > 0) {
                metadata.put("cachedContentTokenCount", usage.cachedPromptTokens());
            }
            if (last && usage.reasoningTokens() > 0) {
                metadata.put("thoughtsTokenCount", usage.reasoningTokens());
            }
        }
        root.put("modelVersion", "gemini-fake");
        return root;
    }

    /** Gemini ends a function call with STOP too; it has no reason of its own for it. */
    private static String finish(FinishReason finish) {
        return switch (finish) {
            case STOP, TOOL_CALLS -> "STOP";
            case LENGTH -> "MAX_TOKENS";
            case CONTENT_FILTER -> "SAFETY";
        };
    }
}
