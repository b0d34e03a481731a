package io.chatai.tool;

import io.chatai.auth.AuthFilter;
import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.JsonBody;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/tools/servers}: admin only. A server is connected before the answer (bounded by its setup time), so
 * the answer shows whether it works; one that cannot be reached is saved with its error and retried in the
 * background. Header and environment values are write-only: every read masks them.
 */
public final class ToolServerRoutes implements HttpService {
    private final ToolServerRepository repository;
    private final ToolServers servers;
    private final ToolServerForm form;
    private final Clock clock;

    public ToolServerRoutes(ToolServerRepository repository, ToolServers servers, ToolServerForm form, Clock clock) {
        this.repository = repository;
        this.servers = servers;
        this.form = form;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(AuthFilter::requireAdmin)
                .get("/", this::list)
                .post("/", this::create)
                .post("/import", this::importDocument)
                .get("/options", this::options)
                .get("/{id}", this::get)
                .put("/{id}", this::update)
                .delete("/{id}", this::delete)
                .post("/{id}/refresh", this::refresh);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Responses.ok(res, repository.list().stream().map(this::view).toList());
    }

    /**
     * What a form for a new server may offer here: whether a server may be a local program, and the bounds of its
     * timeout. Ids start with {@code ts_}, so this path never shadows a server.
     */
    private void options(ServerRequest req, ServerResponse res) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("allowStdio", form.allowsStdio());
        options.put("defaultTimeoutMs", ToolServer.DEFAULT_TIMEOUT_MS);
        options.put("minTimeoutMs", ToolServerForm.MIN_TIMEOUT_MS);
        options.put("maxTimeoutMs", ToolServerForm.MAX_TIMEOUT_MS);
        Responses.ok(res, options);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Responses.ok(res, view(stored(req)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        ToolServer server = form.create(Requests.json(req), clock.millis());
        requireFreeName(server, null);
        requireRoom(1);
        repository.insert(server);
        Responses.created(res, ToolServerView.of(server, servers.apply(server)));
    }

    private void update(ServerRequest req, ServerResponse res) {
        ToolServer stored = stored(req);
        ToolServer merged = form.merge(stored, Requests.json(req), clock.millis());
        requireFreeName(merged, stored.id());
        if (!repository.update(merged)) {
            throw notFound(merged.id());
        }
        Responses.ok(res, ToolServerView.of(merged, servers.apply(merged)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String id = Requests.pathId(req, "id", ErrorCode.NOT_FOUND);
        if (!repository.delete(id)) {
            throw notFound(id);
        }
        servers.remove(id);
        Responses.send(res, 200, Map.of("success", true));
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        ToolServer server = stored(req);
        ServerStatus status = servers.refresh(server.id()).orElseGet(() -> servers.apply(server));
        Responses.ok(res, ToolServerView.of(server, status));
    }

    /**
     * A Claude Desktop {@code mcpServers} document: every entry checked first (nothing is written when one is bad),
     * then servers of a new name created and those of a known name updated; all are connected in parallel.
     */
    private void importDocument(ServerRequest req, ServerResponse res) {
        long now = clock.millis();
        List<ToolServer> created = new ArrayList<>();
        List<ToolServer> updated = new ArrayList<>();
        for (ClaudeDesktopImport.Entry entry : ClaudeDesktopImport.read(Requests.json(req))) {
            ClaudeDesktopImport.prefixed(entry.name(), () -> {
                String name = ToolNames.validServer(entry.body().requiredString("name", ToolNames.MAX_SERVER_NAME));
                if (created.stream().anyMatch(s -> s.name().equals(name)) || updated.stream().anyMatch(s -> s.name().equals(name))) {
                    throw ApiException.invalid("another entry has the same name");
                }
                repository.findByName(name).ifPresentOrElse(
                        existing -> updated.add(form.merge(existing, entry.body(), now)),
                        () -> created.add(form.create(entry.body(), now)));
                return null;
            });
        }
        requireRoom(created.size());
        created.forEach(repository::insert);
        updated.forEach(repository::update);
        List<ToolServer> written = new ArrayList<>(created);
        written.addAll(updated);
        servers.applyAll(written);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("created", created.size());
        answer.put("updated", updated.size());
        answer.put("servers", written.stream().map(this::view).toList());
        Responses.ok(res, answer);
    }

    private Map<String, Object> view(ToolServer server) {
        return ToolServerView.of(server, servers.status(server.id()).orElse(ServerStatus.connecting()));
    }

    private void requireFreeName(ToolServer server, String ownId) {
        repository.findByName(server.name()).filter(other -> !other.id().equals(ownId)).ifPresent(other -> {
            throw ApiException.invalid("A tool server named '" + server.name() + "' exists already (" + other.id() + ")");
        });
    }

    private void requireRoom(int more) {
        int count = repository.list().size();
        if (count + more > ToolServers.MAX_SERVERS) {
            throw ApiException.invalid("At most " + ToolServers.MAX_SERVERS + " tool servers can be configured; there are " + count);
        }
    }

    private ToolServer stored(ServerRequest req) {
        String id = Requests.pathId(req, "id", ErrorCode.NOT_FOUND);
        return repository.find(id).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.NOT_FOUND, "No tool server " + id);
    }
}
