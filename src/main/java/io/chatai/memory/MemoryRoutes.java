package io.chatai.memory;

import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.JsonBody;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code /api/memories}: list (newest first, or by relevance to {@code q}), add, edit and delete. A key bound
 * to a user sees and changes only that user's memories; anything else answers 404 as an unknown id would,
 * and a group's shared memories are the admin's and unbound keys' only.
 */
public final class MemoryRoutes implements HttpService {
    private final MemoryRepository memories;
    private final MemoryWriter writer;
    private final MemoryRecall recall;

    public MemoryRoutes(MemoryRepository memories, MemoryWriter writer, MemoryRecall recall) {
        this.memories = memories;
        this.writer = writer;
        this.recall = recall;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::add)
                .put("/{id}", this::edit)
                .delete("/{id}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        String userId = Requests.textQuery(req, "userId", 64);
        String groupId = Requests.textQuery(req, "groupId", 64);
        String q = Requests.textQuery(req, "q", 1000);
        int limit = Requests.intQuery(req, "limit", 20, 1, 100);
        int offset = Requests.intQuery(req, "offset", 0, 0, Integer.MAX_VALUE);
        if (caller.boundUserId() != null) {
            if (userId != null && !caller.canSee(userId)) {
                Responses.ok(res, Map.of("memories", List.of(), "total", 0));
                return;
            }
            userId = caller.boundUserId();
        }
        if (q == null) {
            MemoryRepository.Page page = memories.list(userId, groupId, limit, offset);
            Responses.ok(res, Map.of("memories", page.memories(), "total", page.total()));
            return;
        }
        MemoryRecall.SearchPage found = recall.search(userId, groupId, q, limit, offset);
        Map<String, Memory> byId = memories.byIds(found.page().stream().map(MemoryRecall.Scored::id).toList()).stream()
                .collect(Collectors.toMap(Memory::id, Function.identity()));
        List<Map<String, Object>> items = found.page().stream().filter(s -> byId.containsKey(s.id()))
                .map(s -> withScore(byId.get(s.id()), s.score())).toList();
        Responses.ok(res, Map.of("memories", items, "total", found.total()));
    }

    private void add(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        JsonBody body = Requests.json(req);
        String userId = body.requiredString("userId", 64);
        String groupId = body.optionalString("groupId", 64);
        String text = text(body);
        caller.requireMayActAs(userId);
        Responses.created(res, writer.add(userId, groupId, text));
    }

    private void edit(ServerRequest req, ServerResponse res) {
        Memory memory = visible(req);
        String text = text(Requests.json(req));
        if (!writer.edit(memory.id(), text)) {
            throw notFound(memory.id());
        }
        Responses.ok(res, memories.find(memory.id()).orElseThrow(() -> notFound(memory.id())));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Memory memory = visible(req);
        if (!memories.delete(memory.id())) {
            throw notFound(memory.id());
        }
        Responses.send(res, 200, Map.of("success", true));
    }

    private static String text(JsonBody body) {
        String text = body.optionalText("text", MemoryWriter.MAX_CHARS);
        if (text == null || text.isBlank()) {
            throw ApiException.invalid("text is required and must not be blank");
        }
        return text.strip();
    }

    private Memory visible(ServerRequest req) {
        String id = Requests.pathId(req, "id", ErrorCode.NOT_FOUND);
        Caller caller = AuthFilter.caller(req);
        return memories.find(id)
                .filter(memory -> caller.boundUserId() == null || caller.boundUserId().equals(memory.userId()))
                .orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.NOT_FOUND, "No memory " + id);
    }

    private static Map<String, Object> withScore(Memory memory, double score) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", memory.id());
        item.put("userId", memory.userId());
        item.put("groupId", memory.groupId());
        item.put("text", memory.text());
        item.put("createdAt", memory.createdAt());
        item.put("updatedAt", memory.updatedAt());
        item.put("source", memory.source());
        item.put("conversationId", memory.conversationId());
        item.put("score", Math.round(score * 10_000) / 10_000.0);
        return item;
    }
}
