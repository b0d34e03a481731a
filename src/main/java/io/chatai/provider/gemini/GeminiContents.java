package io.chatai.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import io.chatai.provider.gemini.GeminiWire.Content;
import io.chatai.provider.gemini.GeminiWire.FunctionResponse;
import io.chatai.provider.gemini.GeminiWire.FunctionResponsePart;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation as Gemini's {@code contents}: users are {@code user}, the assistant is {@code model}, and
 * tool results are {@code functionResponse} parts of a {@code user} content (consecutive results in one, as
 * Gemini wants the answers to parallel calls together). Assistant parts keep their order; opaque reasoning
 * state goes back only when Gemini produced it. Assumes {@link GeminiRefusals#first} found nothing. Stateless.
 */
final class GeminiContents {
    /**
     * What Gemini documents for a function call it did not produce (another provider's turn, or a client that
     * dropped the signature): without a signature on the first call of each step of the current turn, Gemini 3
     * refuses the whole request.
     */
    static final String UNSIGNED_CALL = "skip_thought_signature_validator";

    private GeminiContents() {
    }

    /** Adds each message's content in order; system messages go to {@code system} instead. */
    static List<Content> contents(List<ChatMessage> messages, List<GeminiWire.Part> system) {
        List<Content> contents = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            switch (messages.get(i)) {
                case ChatMessage.System message -> {
                    if (!message.text().isEmpty()) {
                        system.add(GeminiWire.Part.text(message.text()));
                    }
                }
                case ChatMessage.User message -> add(contents, "user", userParts(message.content()));
                case ChatMessage.Assistant message -> add(contents, "model", modelParts(message.content()));
                case ChatMessage.Tool message -> {
                    GeminiWire.Part result = GeminiWire.Part.response(functionResponse(message, GeminiRefusals.toolName(messages, i)));
                    Content last = contents.isEmpty() ? null : contents.getLast();
                    if (last != null && last.role().equals("user") && last.onlyFunctionResponses()) {
                        last.parts().add(result);
                    } else {
                        add(contents, "user", new ArrayList<>(List.of(result)));
                    }
                }
            }
        }
        signCurrentTurn(contents);
        return contents;
    }

    /** An empty content is left out: Gemini refuses a content without parts. */
    private static void add(List<Content> contents, String role, List<GeminiWire.Part> parts) {
        if (!parts.isEmpty()) {
            contents.add(new Content(role, parts));
        }
    }

    private static List<GeminiWire.Part> userParts(List<Part> content) {
        List<GeminiWire.Part> parts = new ArrayList<>();
        for (Part part : content) {
            if (part instanceof Part.Text text && !text.text().isEmpty()) {
                parts.add(GeminiWire.Part.text(text.text()));
            } else if (part instanceof Part.Image image && image.source() instanceof ImageSource.Inline inline) {
                parts.add(GeminiWire.Part.inline(inline.mimeType(), inline.base64()));
            }
        }
        return parts;
    }

    /**
     * Text, signed Gemini thoughts and function calls in order. A signature without thought text came on the
     * part before it (a text part, or the empty part a stream ends with), so it goes back onto that part.
     * Reasoning of another origin, and thought text without a signature, carry nothing Gemini reads back.
     */
    private static List<GeminiWire.Part> modelParts(List<Part> content) {
        List<GeminiWire.Part> parts = new ArrayList<>();
        String pending = null;
        for (Part part : content) {
            switch (part) {
                case Part.Text text -> {
                    if (!text.text().isEmpty()) {
                        pending = add(parts, GeminiWire.Part.text(text.text()), pending);
                    }
                }
                case Part.ToolCall call -> pending = add(parts,
                        GeminiWire.Part.call(call.name(), GeminiRefusals.argumentsObject(call.arguments()), call.signature()), pending);
                case Part.Reasoning reasoning -> {
                    if (!reasoning.hasStateFor(Part.Reasoning.GEMINI) || reasoning.signature() == null) {
                        continue;
                    }
                    if (reasoning.text() != null && !reasoning.text().isEmpty()) {
                        pending = add(parts, GeminiWire.Part.thought(reasoning.text(), reasoning.signature()), pending);
                    } else if (!parts.isEmpty() && parts.getLast().thoughtSignature() == null) {
                        parts.set(parts.size() - 1, parts.getLast().withSignature(reasoning.signature()));
                    } else {
                        pending = reasoning.signature();
                    }
                }
                case Part.Image image -> {
                }
            }
        }
        return parts;
    }

    /** Adds the part, carrying a signature still waiting for a part to ride on; returns what still waits. */
    private static String add(List<GeminiWire.Part> parts, GeminiWire.Part part, String pending) {
        if (pending != null && part.thoughtSignature() == null) {
            parts.add(part.withSignature(pending));
            return null;
        }
        parts.add(part);
        return pending;
    }

    /**
     * The result as Gemini's {@code response} object: a JSON object passes as it is, other text is wrapped as
     * {@code {"result": text}}; a failed call's result goes under {@code error}, as Gemini's reference asks.
     * Inline images travel as the response's own {@code parts}.
     */
    private static FunctionResponse functionResponse(ChatMessage.Tool tool, String name) {
        String text = tool.text();
        JsonNode object = jsonObject(text);
        ObjectNode response;
        if (tool.isError()) {
            response = JsonNodeFactory.instance.objectNode();
            response.set("error", object != null ? object : JsonNodeFactory.instance.textNode(text));
        } else if (object != null) {
            response = (ObjectNode) object;
        } else {
            response = JsonNodeFactory.instance.objectNode().put("result", text);
        }
        List<FunctionResponsePart> images = new ArrayList<>();
        for (Part part : tool.content()) {
            if (part instanceof Part.Image image && image.source() instanceof ImageSource.Inline inline) {
                images.add(new FunctionResponsePart(new GeminiWire.Blob(inline.mimeType(), inline.base64())));
            }
        }
        return new FunctionResponse(name, response, images.isEmpty() ? null : images);
    }

    private static JsonNode jsonObject(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = Json.tree(trimmed);
            return node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The current turn starts at the last user content holding text or images; the first function call of each
     * model step after it gets {@link #UNSIGNED_CALL} when it came without a signature. Earlier turns are not
     * checked by Gemini and are left as they are.
     */
    private static void signCurrentTurn(List<Content> contents) {
        int start = contents.size() - 1;
        while (start >= 0 && !(contents.get(start).role().equals("user") && !contents.get(start).onlyFunctionResponses())) {
            start--;
        }
        for (int i = start + 1; i < contents.size(); i++) {
            List<GeminiWire.Part> parts = contents.get(i).parts();
            for (int j = 0; j < parts.size(); j++) {
                if (parts.get(j).functionCall() != null) {
                    if (parts.get(j).thoughtSignature() == null) {
                        parts.set(j, parts.get(j).withSignature(UNSIGNED_CALL));
                    }
                    break;
                }
            }
        }
    }
}
