package io.chatai.conversation;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.tool.ToolArguments;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/conversations}: list, read, delete and clear. A key bound to a user only ever sees that
 * user's conversations; another user's id answers 404 exactly as an unknown one would. Delete and clear
 * take the conversation's gate, so they never cut into a running turn.
 */
public final class ConversationRoutes implements HttpService {
    private final ConversationRepository conversations;
    private final ConversationLocks locks;
    private final Clock clock;
    private final Duration wait;

    public ConversationRoutes(ConversationRepository conversations, ConversationLocks locks, Clock clock, Duration wait) {
        this.conversations = conversations;
        this.locks = locks;
        this.clock = clock;
        this.wait = wait;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::get)
                .delete("/{id}", this::delete)
                .post("/{id}/clear", this::clear);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        String userId = Requests.textQuery(req, "userId", 64);
        String groupId = Requests.textQuery(req, "groupId", 64);
        int limit = Requests.intQuery(req, "limit", 20, 1, 100);
        int offset = Requests.intQuery(req, "offset", 0, 0, Integer.MAX_VALUE);
        if (caller.boundUserId() != null) {
            if (userId != null && !caller.canSee(userId)) {
                Responses.ok(res, Map.of("conversations", List.of(), "total", 0));
                return;
            }
            userId = caller.boundUserId();
        }
        ConversationRepository.Page page = conversations.list(userId, groupId, limit, offset);
        List<Map<String, Object>> items = page.conversations().stream().map(ConversationRoutes::summary).toList();
        Responses.ok(res, Map.of("conversations", items, "total", page.total()));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Conversation conversation = visible(req);
        boolean withTools = includesTools(req);
        Map<String, Object> data = summary(conversation);
        data.put("messages", conversations.messages(conversation.id()).stream()
                .filter(m -> withTools || !isToolStep(m.message()))
                .map(m -> withTools ? withTools(m) : new MessageView(m.role().wire(), m.content(), m.createdAt()))
                .toList());
        Responses.ok(res, data);
    }

    /** {@code ?include=tools}; any other value of include is refused, so a typo is not silently ignored. */
    private static boolean includesTools(ServerRequest req) {
        String include = Requests.textQuery(req, "include", 32);
        if (include == null) {
            return false;
        }
        if (!include.equals("tools")) {
            throw ApiException.invalid("include may only be 'tools', got '" + include + "'");
        }
        return true;
    }

    /** A tool step of a turn: an assistant message asking for tools, or a tool's result. */
    private static boolean isToolStep(ChatMessage message) {
        return message instanceof ChatMessage.Tool
                || message instanceof ChatMessage.Assistant assistant && !assistant.toolCalls().isEmpty();
    }

    private static Map<String, Object> withTools(StoredMessage stored) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("role", stored.role().wire());
        view.put("content", stored.content());
        switch (stored.message()) {
            case ChatMessage.Assistant assistant when !assistant.toolCalls().isEmpty() ->
                    view.put("toolCalls", assistant.toolCalls().stream().map(call -> new ToolCallView(call.id(),
                            ToolArguments.shownName(call.name()), ToolArguments.view(call.arguments()))).toList());
            case ChatMessage.Tool tool -> {
                view.put("toolCallId", tool.toolCallId());
                view.put("isError", tool.isError());
            }
            default -> { }
        }
        view.put("timestamp", stored.createdAt());
        return view;
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Conversation conversation = visible(req);
        try (var lease = locks.own(conversation.id(), wait)) {
            if (!conversations.delete(conversation.id())) {
                throw notFound(conversation.id());
            }
        }
        Responses.send(res, 200, Map.of("success", true));
    }

    private void clear(ServerRequest req, ServerResponse res) {
        Conversation conversation = visible(req);
        try (var lease = locks.own(conversation.id(), wait)) {
            if (!conversations.clear(conversation.id(), clock.millis())) {
                throw notFound(conversation.id());
            }
        }
        Responses.send(res, 200, Map.of("success", true, "message", "Context cleared"));
    }

    /** The conversation of the path, if it exists and the caller may see it; 404 otherwise. */
    private Conversation visible(ServerRequest req) {
        String id = Requests.pathId(req, "id", ErrorCode.CONVERSATION_NOT_FOUND);
        Caller caller = AuthFilter.caller(req);
        return conversations.find(id)
                .filter(c -> caller.canSee(c.scope().userId()))
                .orElseThrow(() -> notFound(id));
    }

    /** A message as the API shows it; a record keeps the contract's field order and costs one object. */
    private record MessageView(String role, String content, long timestamp) { }

    /** A tool call of a stored assistant message. */
    private record ToolCallView(String id, String name, JsonNode arguments) { }

    private static Map<String, Object> summary(Conversation c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", c.id());
        view.put("userId", c.scope().userId());
        view.put("groupId", c.scope().groupId());
        view.put("preset", c.presetId());
        view.put("messageCount", c.messageCount());
        view.put("lastMessage", c.lastMessage());
        view.put("createdAt", c.createdAt());
        view.put("updatedAt", c.updatedAt());
        return view;
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + id);
    }
}
