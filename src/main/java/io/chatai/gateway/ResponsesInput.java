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
 * The {@code input} of a Responses request read into the rich model: a string is one user message; a list
 * holds messages ({@code input_text}, {@code input_image}, an assistant's {@code output_text} and
 * {@code refusal}), {@code function_call}, {@code function_call_output} and {@code reasoning} items.
 * Consecutive assistant items (reasoning, text, calls) make one assistant message in their order, as every
 * provider expects a turn. A reasoning item's {@code encrypted_content} written by this server
 * ({@link ReasoningState}) gives the provider's own opaque state back. An item type the server cannot carry
 * (a hosted tool's call, {@code item_reference}, {@code input_file}) is a 400 naming it. Not thread-safe: one per request.
 */
final class ResponsesInput {
    private static final int MAX_ITEMS = 10_000;
    private static final int MAX_TEXT = Integer.MAX_VALUE;

    private final List<ChatMessage> messages = new ArrayList<>();
    private final Map<String, String> toolNames = new HashMap<>();
    private List<Part> assistant; // the assistant turn being assembled, or null
    private Map<String, String> callSignatures = Map.of(); // Gemini's, from the reasoning item before the calls

    private ResponsesInput(List<ChatMessage> context) {
        for (ChatMessage message : context) {
            if (message instanceof ChatMessage.Assistant a) {
                a.toolCalls().forEach(call -> toolNames.put(call.id(), call.name()));
            }
        }
    }

    /** The messages of {@code input}; {@code context} (a stored chain) names the calls its tool outputs answer. */
    static List<ChatMessage> parse(JsonNode input, List<ChatMessage> context) {
        if (absent(input)) {
            return List.of();
        }
        if (input.isTextual()) {
            return List.of(new ChatMessage.User(List.of(new Part.Text(Params.text("input", input.textValue(), MAX_TEXT))), null));
        }
        if (!input.isArray()) {
            throw Params.wrongType("input", "a string or an array of input items", input);
        }
        if (input.size() > MAX_ITEMS) {
            throw Params.invalid("input", "Invalid 'input': at most " + MAX_ITEMS + " items, got " + input.size() + ".");
        }
        ResponsesInput reader = new ResponsesInput(context);
        for (int i = 0; i < input.size(); i++) {
            reader.item(input.get(i), "input[" + i + "]");
        }
        reader.endAssistant();
        return reader.messages;
    }

    private void item(JsonNode item, String at) {
        if (!item.isObject()) {
            throw Params.wrongType(at, "an object", item);
        }
        String type = string(item.get("type"), at + ".type", 64);
        if (type == null && !absent(item.get("role"))) {
            type = "message"; // the easy input message has no type
        }
        if (type == null) {
            throw Params.missing(at + ".type");
        }
        switch (type) {
            case "message" -> message(item, at);
            case "function_call" -> {
                String callId = requiredString(item.get("call_id"), at + ".call_id", 1024);
                String name = requiredString(item.get("name"), at + ".name", 256);
                String arguments = string(item.get("arguments"), at + ".arguments", MAX_TEXT);
                toolNames.put(callId, name);
                assistant().add(new Part.ToolCall(callId, name, arguments, callSignatures.get(callId)));
            }
            case "function_call_output" -> {
                endAssistant();
                String callId = requiredString(item.get("call_id"), at + ".call_id", 1024);
                messages.add(new ChatMessage.Tool(callId, toolNames.get(callId), output(item.get("output"), at + ".output"), false));
            }
            case "reasoning" -> reasoning(item, at);
            default -> throw unsupported(at + ".type", type);
        }
    }

    private void message(JsonNode item, String at) {
        String role = requiredString(item.get("role"), at + ".role", 32);
        JsonNode content = item.get("content");
        if (absent(content)) {
            throw Params.missing(at + ".content");
        }
        switch (role) {
            case "assistant" -> {
                String text = assistantText(content, at + ".content");
                if (!text.isEmpty()) {
                    assistant().add(new Part.Text(text));
                }
            }
            case "system", "developer" -> {
                endAssistant();
                messages.add(new ChatMessage.System(ContentText.join(parts(content, at + ".content"))));
            }
            case "user" -> {
                endAssistant();
                messages.add(new ChatMessage.User(parts(content, at + ".content"), null));
            }
            default -> throw Params.invalid(at + ".role", "Invalid value: '" + role
                    + "'. Supported values are: 'user', 'assistant', 'system' and 'developer'.");
        }
    }

    /** Text and images of a user, system or tool-output content ({@code input_text}, {@code input_image}). */
    private static List<Part> parts(JsonNode content, String at) {
        if (content.isTextual()) {
            return List.of(new Part.Text(Params.text(at, content.textValue(), MAX_TEXT)));
        }
        if (!content.isArray()) {
            throw Params.wrongType(at, "a string or an array of content parts", content);
        }
        List<Part> parts = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String where = at + "[" + i + "]";
            String type = ContentParts.type(part, where);
            switch (type) {
                case "input_text", "output_text" -> parts.add(new Part.Text(requiredString(part.get("text"), where + ".text", MAX_TEXT)));
                case "input_image" -> {
                    if (absent(part.get("image_url"))) {
                        throw absent(part.get("file_id")) ? Params.missing(where + ".image_url") : unsupported(where + ".file_id", "file_id");
                    }
                    String url = requiredString(part.get("image_url"), where + ".image_url", MAX_TEXT);
                    parts.add(new Part.Image(ImageSource.parse(url), string(part.get("detail"), where + ".detail", 16)));
                }
                default -> throw unsupported(where + ".type", type);
            }
        }
        return parts;
    }

    private static String assistantText(JsonNode content, String at) {
        if (content.isTextual()) {
            return Params.text(at, content.textValue(), MAX_TEXT);
        }
        if (!content.isArray()) {
            throw Params.wrongType(at, "a string or an array of content parts", content);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String where = at + "[" + i + "]";
            switch (ContentParts.type(part, where)) {
                case "output_text", "input_text" -> text.append(requiredString(part.get("text"), where + ".text", MAX_TEXT));
                case "refusal" -> text.append(requiredString(part.get("refusal"), where + ".refusal", MAX_TEXT));
                default -> throw unsupported(where + ".type", part.get("type").asText());
            }
        }
        return text.toString();
    }

    private static List<Part> output(JsonNode output, String at) {
        if (absent(output)) {
            throw Params.missing(at);
        }
        return parts(output, at);
    }

    private void reasoning(JsonNode item, String at) {
        StringBuilder text = new StringBuilder();
        for (String field : List.of("summary", "content")) {
            JsonNode list = item.get(field);
            if (absent(list)) {
                continue;
            }
            if (!list.isArray()) {
                throw Params.wrongType(at + "." + field, "an array", list);
            }
            for (int i = 0; i < list.size(); i++) {
                String piece = string(list.get(i).get("text"), at + "." + field + "[" + i + "].text", MAX_TEXT);
                if (piece != null && field.equals("summary")) {
                    text.append(text.isEmpty() ? "" : "\n\n").append(piece);
                }
            }
            if (field.equals("summary") && !text.isEmpty()) {
                break; // the summary stands for the reasoning; content (the raw text) only when there is no summary
            }
        }
        if (text.isEmpty() && !absent(item.get("content"))) {
            for (JsonNode piece : item.get("content")) {
                text.append(piece.path("text").asText(""));
            }
        }
        String encrypted = string(item.get("encrypted_content"), at + ".encrypted_content", MAX_TEXT);
        ReasoningState state = ReasoningState.read(encrypted);
        callSignatures = state.callSignatures();
        Part.Reasoning part = state.reasoning(text.isEmpty() ? null : text.toString());
        if (part != null) {
            assistant().add(part);
        }
    }

    private List<Part> assistant() {
        if (assistant == null) {
            assistant = new ArrayList<>();
        }
        return assistant;
    }

    private void endAssistant() {
        if (assistant != null && !assistant.isEmpty()) {
            messages.add(new ChatMessage.Assistant(assistant));
        }
        assistant = null;
        callSignatures = Map.of();
    }

    static io.chatai.web.OpenAiError unsupported(String param, String what) {
        return new io.chatai.web.OpenAiError(400, "invalid_request_error", "unsupported_parameter", param,
                "'" + what + "' is not supported by this server's /v1/responses (" + param + ").");
    }

    /** Text of system content: images have no place in instructions. */
    private static final class ContentText {
        static String join(List<Part> parts) {
            StringBuilder text = new StringBuilder();
            for (Part part : parts) {
                if (!(part instanceof Part.Text t)) {
                    throw Params.invalid("input", "Invalid 'input': a system or developer message holds text only.");
                }
                text.append(t.text());
            }
            return text.toString();
        }
    }
}
