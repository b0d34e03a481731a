package io.chatai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.conversation.ConversationIds;
import io.chatai.image.ImageInput;
import io.chatai.preset.Preset;
import io.chatai.core.JsonBody;
import io.chatai.core.message.ToolSpec;
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
 * @param userName         the speaker's name (1-64 characters, no control characters), or null
 * @param reply            false to record a group message without calling a model ({@code reply: false})
 * @param tools            null to offer the preset's tools, else the patterns that narrow them (empty: no tools)
 * @param toolEvents       whether the stream carries {@code tool_call}/{@code tool_result} events ({@code "tools"})
 * @param clientTools      the bot's own tools ({@code clientTools}), empty when none
 * @param turnId           the paused turn this request continues, or null for a new turn
 * @param toolResults      the continuation's answers to the paused turn's calls (null for a new turn)
 */
public record ChatRequest(String message, String userId, String groupId, String preset, String conversationId,
                          boolean newConversation, String model, String requestId, List<ImageInput> images,
                          boolean includeReasoning, boolean reasoningEvents, String userName, boolean reply,
                          ToolPatterns tools, boolean toolEvents, List<ToolSpec> clientTools, String turnId,
                          List<ClientTools.Result> toolResults) {
    /** The stream events a client may opt into; every other name is refused, so a typo is not silently ignored. */
    private static final List<String> EVENTS = List.of("reasoning", "tools");

    /** A request with the preset's tools and without tool events. */
    public ChatRequest(String message, String userId, String groupId, String preset, String conversationId,
                       boolean newConversation, String model, String requestId, List<ImageInput> images,
                       boolean includeReasoning, boolean reasoningEvents, String userName, boolean reply) {
        this(message, userId, groupId, preset, conversationId, newConversation, model, requestId, images,
                includeReasoning, reasoningEvents, userName, reply, null, false, List.of(), null, null);
    }

    /** Parses and validates; a message over the limit is 413, every other problem 400. */
    public static ChatRequest parse(JsonBody body, int maxMessageChars, int maxImages) {
        List<ImageInput> images = images(body, maxImages);
        String turnId = body.optionalString("turnId", 128);
        List<ClientTools.Result> results = ClientTools.results(body);
        if ((turnId == null) != (results == null)) {
            throw ApiException.invalid("A paused turn continues with both turnId and toolResults");
        }
        if (turnId != null) {
            return continuation(body, turnId, results, images);
        }
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
        String userName = body.optionalString("userName", 64);
        if (userName != null && (userName.isBlank() || userName.codePoints().anyMatch(Character::isISOControl))) {
            throw ApiException.invalid("userName must be 1-64 characters without line breaks or other control characters");
        }
        boolean reply = !Boolean.FALSE.equals(body.optionalBoolean("reply"));
        if (!reply && groupId == null) {
            throw ApiException.invalid("reply: false records a group message the bot saw: it needs groupId");
        }
        if (!reply && !images.isEmpty()) {
            throw ApiException.invalid("reply: false records text only; send images with a message that asks for a reply");
        }
        if (conversationId != null && newConversation) {
            throw ApiException.invalid("Send either conversationId or newConversation: true, not both");
        }
        if (conversationId != null && !ConversationIds.isValid(conversationId)) {
            throw new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
        }
        List<String> tools = body.optionalStringList("tools", ToolPatterns.MAX_PATTERNS, 200);
        return new ChatRequest(message, userId, groupId, preset == null ? Preset.DEFAULT_ID : preset, conversationId,
                newConversation, model, requestId, images, includeReasoning, events.contains("reasoning"),
                userName, reply, tools == null ? null : ToolPatterns.parse("tools", tools), events.contains("tools"),
                ClientTools.declared(body), null, null);
    }

    /** A paused turn's continuation: the turn's own settings stand, only what the stream shows may be chosen anew. */
    private static ChatRequest continuation(JsonBody body, String turnId, List<ClientTools.Result> results,
                                            List<ImageInput> images) {
        for (String field : List.of("message", "preset", "model", "tools", "clientTools", "newConversation", "requestId")) {
            if (body.has(field)) {
                throw ApiException.invalid(field + " belongs to the turn's first request; a continuation sends userId, "
                        + "groupId, conversationId, turnId and toolResults");
            }
        }
        if (!images.isEmpty()) {
            throw ApiException.invalid("images belong to the turn's first request, not to its continuation");
        }
        String userId = body.requiredString("userId", 64);
        String groupId = body.optionalString("groupId", 64);
        String conversationId = body.requiredString("conversationId", 128);
        List<String> events = events(body);
        return new ChatRequest("", userId, groupId, Preset.DEFAULT_ID, conversationId, false, null, null, List.of(),
                Boolean.TRUE.equals(body.optionalBoolean("includeReasoning")), events.contains("reasoning"),
                body.optionalString("userName", 64), true, null, events.contains("tools"), List.of(), turnId, results);
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
