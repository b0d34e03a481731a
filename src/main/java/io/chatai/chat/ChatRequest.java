package io.chatai.chat;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.conversation.ConversationIds;
import io.chatai.preset.Preset;
import io.chatai.core.JsonBody;
import io.chatai.tool.ToolPatterns;
import java.util.List;

/**
 * A validated {@code POST /api/chat} (or {@code /api/chat/stream}) body. Immutable.
 *
 * @param groupId        null for a private chat
 * @param conversationId null to continue the scope's latest conversation
 * @param model          null to use the preset's model
 * @param requestId      null, or the client's idempotency key
 * @param tools          null to offer the preset's tools, else the patterns that narrow them (empty: no tools)
 * @param toolEvents     the client asked for {@code tool_call}/{@code tool_result} stream events
 */
public record ChatRequest(String message, String userId, String groupId, String preset, String conversationId,
                          boolean newConversation, String model, String requestId, ToolPatterns tools,
                          boolean toolEvents) {
    /** The stream events a client may opt into; every other name is refused, so a typo is not silently ignored. */
    private static final List<String> EVENTS = List.of("tools");

    /** A request with the preset's tools and today's events. */
    public ChatRequest(String message, String userId, String groupId, String preset, String conversationId,
                       boolean newConversation, String model, String requestId) {
        this(message, userId, groupId, preset, conversationId, newConversation, model, requestId, null, false);
    }

    /** Parses and validates; a message over the limit is 413, every other problem 400. */
    public static ChatRequest parse(JsonBody body, int maxMessageChars) {
        String message = body.optionalText("message", Integer.MAX_VALUE);
        if (message == null) {
            throw ApiException.invalid("message is required");
        }
        if (message.isBlank()) {
            throw ApiException.invalid("message must not be blank");
        }
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
        if (conversationId != null && newConversation) {
            throw ApiException.invalid("Send either conversationId or newConversation: true, not both");
        }
        if (conversationId != null && !ConversationIds.isValid(conversationId)) {
            throw new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
        }
        List<String> tools = body.optionalStringList("tools", ToolPatterns.MAX_PATTERNS, 200);
        return new ChatRequest(message, userId, groupId, preset == null ? Preset.DEFAULT_ID : preset, conversationId,
                newConversation, model, requestId, tools == null ? null : ToolPatterns.parse("tools", tools),
                events(body).contains("tools"));
    }

    private static List<String> events(JsonBody body) {
        List<String> events = body.optionalStringList("events", 8, 32);
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
}
