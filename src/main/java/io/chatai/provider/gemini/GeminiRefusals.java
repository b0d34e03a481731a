package io.chatai.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.RequestOptions;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import java.util.List;
import java.util.Optional;

/**
 * What of a request Gemini cannot honour, named in OpenAI's spelling: an image given by URL (Gemini takes
 * only bytes, and the server has no safe fetcher yet), {@code n} > 1 (one answer per call here),
 * {@code parallel_tool_calls: false} (Gemini has no such switch), tool-call arguments that are not a JSON
 * object, and a tool result whose function cannot be named. Stateless.
 */
final class GeminiRefusals {
    private GeminiRefusals() {
    }

    static Optional<String> first(ModelRequest request) {
        RequestOptions options = request.options();
        if (options.n() != null && options.n() > 1) {
            return Optional.of("n");
        }
        if (Boolean.FALSE.equals(options.parallelToolCalls()) && options.offersTools()) {
            return Optional.of("parallel_tool_calls");
        }
        List<ChatMessage> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            Optional<String> field = switch (messages.get(i)) {
                case ChatMessage.System system -> Optional.empty();
                case ChatMessage.User user -> urlImage(user.content(), i);
                case ChatMessage.Tool tool -> toolName(messages, i) == null
                        ? Optional.of("messages[" + i + "].tool_call_id") : urlImage(tool.content(), i);
                case ChatMessage.Assistant assistant -> badArguments(assistant.toolCalls(), i);
            };
            if (field.isPresent()) {
                return field;
            }
        }
        return Optional.empty();
    }

    /** Thrown when a request reaches the adapter although {@link #first} names a field: never sent half-honoured. */
    static UpstreamException refused(String field) {
        return new UpstreamException(new UpstreamError.BadRequest(400, field + " is not supported by channel type gemini"));
    }

    /**
     * The function a tool result answers: the name on the tool message, or the name of the earlier call with
     * its id (Gemini matches a {@code functionResponse} to its call by name). Null when neither is known.
     */
    static String toolName(List<ChatMessage> messages, int index) {
        ChatMessage.Tool tool = (ChatMessage.Tool) messages.get(index);
        if (tool.name() != null && !tool.name().isBlank()) {
            return tool.name();
        }
        for (int i = index - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ChatMessage.Assistant assistant) {
                for (Part.ToolCall call : assistant.toolCalls()) {
                    if (call.id().equals(tool.toolCallId())) {
                        return call.name();
                    }
                }
            }
        }
        return null;
    }

    /** The arguments as the JSON object Gemini's {@code args} must be, or null when they are not one. */
    static JsonNode argumentsObject(String arguments) {
        try {
            JsonNode node = Json.tree(arguments);
            return node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Optional<String> urlImage(List<Part> content, int message) {
        for (int j = 0; j < content.size(); j++) {
            if (content.get(j) instanceof Part.Image image && image.source() instanceof ImageSource.Url) {
                return Optional.of("messages[" + message + "].content[" + j + "]");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> badArguments(List<Part.ToolCall> calls, int message) {
        for (int k = 0; k < calls.size(); k++) {
            if (argumentsObject(calls.get(k).arguments()) == null) {
                return Optional.of("messages[" + message + "].tool_calls[" + k + "].function.arguments");
            }
        }
        return Optional.empty();
    }
}
