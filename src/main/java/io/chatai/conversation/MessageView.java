package io.chatai.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Part;
import io.chatai.tool.ToolArguments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A message as {@code GET /api/conversations/:id} shows it: role, text, time, the user's images (with the
 * URL that serves them) and, when asked for, the assistant's reasoning and a tool turn's steps (an assistant
 * message's {@code toolCalls}, a tool result's {@code toolCallId} and {@code isError}). A record keeps the
 * contract's field order. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MessageView(String role, String content, List<ToolCallView> toolCalls, String toolCallId, Boolean isError,
                   long timestamp, List<ImageView> images, String reasoning) {

    /** A tool call of a stored assistant message: {@code <server>.<tool>}, the arguments as JSON. */
    record ToolCallView(String id, String name, JsonNode arguments) { }

    /** An image of a message, without its bytes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ImageView(String id, String mimeType, int width, int height, String url, String caption) { }

    static List<MessageView> of(String conversationId, List<StoredMessage> messages, List<ConversationImages.Meta> images,
                                boolean withReasoning, boolean withTools) {
        Map<Long, List<ImageView>> bySeq = new HashMap<>();
        for (ConversationImages.Meta image : images) {
            bySeq.computeIfAbsent(image.seq(), seq -> new ArrayList<>()).add(new ImageView(image.id(), image.mimeType(),
                    image.width(), image.height(), ConversationRepository.imagePath(conversationId, image.id()), image.caption()));
        }
        List<MessageView> views = new ArrayList<>(messages.size());
        for (StoredMessage m : messages) {
            if (!withTools && isToolStep(m.message())) {
                continue; // without include=tools a tool turn shows as its question and its answer
            }
            List<ToolCallView> calls = m.message() instanceof ChatMessage.Assistant assistant && !assistant.toolCalls().isEmpty()
                    ? assistant.toolCalls().stream().map(call -> new ToolCallView(call.id(),
                            ToolArguments.shownName(call.name()), ToolArguments.view(call.arguments()))).toList()
                    : null;
            ChatMessage.Tool result = m.message() instanceof ChatMessage.Tool tool ? tool : null;
            views.add(new MessageView(m.role().wire(), m.content(), calls, result == null ? null : result.toolCallId(),
                    result == null ? null : result.isError(), m.createdAt(), bySeq.get(m.seq()),
                    withReasoning ? reasoning(m) : null));
        }
        return views;
    }

    /** A tool step of a turn: an assistant message asking for tools, or a tool's result. */
    private static boolean isToolStep(ChatMessage message) {
        return message instanceof ChatMessage.Tool
                || message instanceof ChatMessage.Assistant assistant && !assistant.toolCalls().isEmpty();
    }

    /** The readable reasoning of a message, its parts joined; null when it has none. */
    private static String reasoning(StoredMessage message) {
        StringBuilder text = new StringBuilder();
        for (Part part : message.message().content()) {
            if (part instanceof Part.Reasoning r && r.text() != null) {
                text.append(r.text());
            }
        }
        return text.isEmpty() ? null : text.toString();
    }
}
