package io.chatai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.conversation.ConversationIds;
import io.chatai.image.ImageInput;
import io.chatai.preset.Preset;
import io.chatai.core.JsonBody;
import io.chatai.tool.ToolPatterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A validated {@code POST /api/chat} (or {@code /api/chat/stream}) body. Immutable.
 *
 * @param message          the text, empty when the message is only images
 * @param groupId          null for a private chat
 * @param conversationId   null to continue the scope's latest conversation
 * @param model            null to use the preset's model
 * @param requestId        null, or the client's idempotency key
 * @param images           the images sent with the message, in order (not yet fetched or checked)
 * @param includeReasoning whether {@code POST /api/chat} answers with {@code data.reasoning}
 * @param reasoningEvents  whether the stream carries {@code reasoning} events ({@code "events": ["reasoning"]})
 * @param tools            null to offer the preset's tools, else the patterns that narrow them (empty: no tools)
 * @param toolEvents       whether the stream carries {@code tool_call}/{@code tool_result} events ({@code "tools"})
 */
public record ChatRequest(String message, String userId, String groupId, String preset, String conversationId,
                          boolean newConversation, String model, String requestId, List<ImageInput> images,
                          boolean includeReasoning, boolean reasoningEvents, ToolPatterns tools, boolean toolEvents) {
    /** The stream events a client may opt into; every other name is refused, so a typo is not silently ignored. */
    private static final List<String> EVENTS = List.of("reasoning", "tools");

    /** A request with the preset's tools and without tool events. */
    public ChatRequest(String message, String userId, String groupId, String preset, String conversationId,
                       boolean newConversation, String model, String requestId, List<ImageInput> images,
                       boolean includeReasoning, boolean reasoningEvents) {
        this(message, userId, groupId, preset, conversationId, newConversation, model, requestId, images,
                includeReasoning, reasoningEvents, null, false);
    }

    /** Parses and validates; a message over the limit is 413, every other problem 400. */
    public static ChatRequest parse(JsonBody body, int maxMessageChars, int maxImages) {
        List<ImageInput> images = images(body, maxImages);
        String message = body.optionalText("message", Integer.MAX_VALUE);
        if (message == null && images.isEmpty()) {
            throw ApiException.invalid("message is required (or images)");
        }
        if (message != null && message.isBlank() && images.isEmpty()) {
            throw ApiException.invalid("message must not be blank");
        }
        message = message == null || message.isBlank() ? "" : message;
        int length = message.codePointCount(0, message.length());
        if (length > maxMessageChars) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "message is " + length
                    + " characters; the limit is " + maxMessageChars + " (CHATAI_MAX_MESSAGE_CHARS)");
        }
        String userId = body.requiredString("userId", 64);
        String groupId = body.optionalString("groupId", 64);
        String preset = body.optionalString("preset", 64);
        String conversationId = body.optionalString("conversationId", 128);
        boolean newConversation = Boolean.TRUE.equals(body.optionalBoolean("newConversation"));
        String model = body.optionalString("model", 128);
        String requestId = body.optionalString("requestId", 128);
        boolean includeReasoning = Boolean.TRUE.equals(body.optionalBoolean("includeReasoning"));
        List<String> events = events(body);
        if (conversationId != null && newConversation) {
            throw ApiException.invalid("Send either conversationId or newConversation: true, not both");
        }
        if (conversationId != null && !ConversationIds.isValid(conversationId)) {
            throw new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
        }
        List<String> tools = body.optionalStringList("tools", ToolPatterns.MAX_PATTERNS, 200);
        return new ChatRequest(message, userId, groupId, preset == null ? Preset.DEFAULT_ID : preset, conversationId,
                newConversation, model, requestId, images, includeReasoning, events.contains("reasoning"),
                tools == null ? null : ToolPatterns.parse("tools", tools), events.contains("tools"));
    }

    private static List<String> events(JsonBody body) {
        List<String> events = body.optionalStringList("events", 16, 64);
        if (events == null) {
            return List.of();
        }
        for (String event : events) {
            if (!EVENTS.contains(event)) {
                throw ApiException.invalid("events holds '" + event + "'; the events a stream can add are " + EVENTS);
            }
        }
        return events;
    }

    private static List<ImageInput> images(JsonBody body, int maxImages) {
        JsonNode array = body.node().get("images");
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw ApiException.invalid("images must be an array of {\"url\"} or {\"data\", \"mimeType\"} objects");
        }
        if (array.size() > maxImages) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "images holds " + array.size()
                    + " images; the limit is " + maxImages + " (CHATAI_MAX_IMAGES)");
        }
        List<ImageInput> images = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof ObjectNode object)) {
                throw invalid(i, "must be an object");
            }
            JsonBody image = new JsonBody(object);
            String where = "images[" + i + "]";
            String url;
            String data;
            String mimeType;
            try {
                url = image.optionalString("url", 8192);
                data = image.optionalText("data", Integer.MAX_VALUE);
                mimeType = image.optionalString("mimeType", 64);
            } catch (ApiException e) {
                throw new ApiException(e.code(), where + "." + e.getMessage(), Map.of("index", i));
            }
            if ((url == null) == (data == null)) {
                throw invalid(i, "needs either url or data (with mimeType)");
            }
            if (data != null && mimeType == null) {
                throw invalid(i, "data needs its mimeType");
            }
            images.add(new ImageInput(url, data, mimeType));
        }
        return images;
    }

    private static ApiException invalid(int index, String problem) {
        return new ApiException(ErrorCode.INVALID_REQUEST, "images[" + index + "] " + problem, Map.of("index", index));
    }
}
