package io.chatai.conversation;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
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
                .get("/{id}/images/{imageId}", this::image)
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
        List<String> include = includes(req);
        Map<String, Object> data = summary(conversation);
        data.put("messages", MessageView.of(conversation.id(), conversations.messages(conversation.id()),
                conversations.images(conversation.id()), include.contains("reasoning"), include.contains("tools")));
        Responses.ok(res, data);
    }

    /**
     * {@code ?include=reasoning}, {@code ?include=tools} or both ({@code tools,reasoning}); any other value is
     * refused, so a typo is not silently ignored.
     */
    private static List<String> includes(ServerRequest req) {
        String include = Requests.textQuery(req, "include", 64);
        if (include == null) {
            return List.of();
        }
        List<String> names = List.of(include.split(",", -1));
        for (String name : names) {
            if (!name.equals("reasoning") && !name.equals("tools")) {
                throw ApiException.invalid("include may only list 'reasoning' and 'tools', got '" + include + "'");
            }
        }
        return names;
    }

    /** The bytes of an image that a message of a visible conversation holds; anything else is 404. */
    private void image(ServerRequest req, ServerResponse res) {
        Conversation conversation = visible(req);
        String imageId = req.path().pathParameters().get("imageId");
        ConversationImages.Bytes image = imageId.matches("[0-9a-f]{64}")
                ? conversations.image(conversation.id(), imageId).orElse(null) : null;
        if (image == null) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No image " + imageId + " in conversation " + conversation.id());
        }
        res.header("Content-Type", image.mimeType());
        res.header("Cache-Control", "private, max-age=86400"); // content-addressed: the bytes never change
        res.header("X-Content-Type-Options", "nosniff");
        res.send(image.data());
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
