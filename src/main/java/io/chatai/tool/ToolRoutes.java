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
import java.util.HashSet;
import java.util.Set;

/**
 * {@code /api/tools}: every key lists the tools (names, descriptions, parameters, server names, switches; never a
 * URL, header or command); only the admin turns one on or off. Register after {@link ToolServerRoutes}.
 */
public final class ToolRoutes implements HttpService {
    /** Switches kept per server; names of tools a server no longer lists are dropped first. */
    private static final int MAX_DISABLED = 1024;

    private final ToolServerRepository repository;
    private final ToolServers servers;
    private final Clock clock;

    public ToolRoutes(ToolServerRepository repository, ToolServers servers, Clock clock) {
        this.repository = repository;
        this.servers = servers;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .put("/{name}", this::update);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Responses.ok(res, ToolServerView.tools(servers.catalog()));
    }

    private void update(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req).requireAdmin();
        String name = req.path().pathParameters().get("name");
        ToolCatalog.Entry entry = servers.catalog().byName(name).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
                "No tool '" + (name.length() <= 100 ? name : name.substring(0, 100) + "…") + "' (GET /api/tools lists them as <server>.<tool>)"));
        JsonBody body = Requests.json(req);
        Boolean enabled = body.optionalBoolean("enabled");
        if (enabled == null) {
            throw ApiException.invalid("enabled is required (true or false)");
        }
        ToolServer server = repository.find(entry.serverId()).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
                "The tool server of " + entry.name() + " was deleted"));
        Set<String> disabled = new HashSet<>(server.disabledTools());
        if (enabled) {
            disabled.remove(entry.tool().name());
        } else {
            disabled.add(entry.tool().name());
        }
        if (disabled.size() > MAX_DISABLED) {
            Set<String> listed = new HashSet<>();
            servers.catalog().entries().stream().filter(e -> e.serverId().equals(server.id())).forEach(e -> listed.add(e.tool().name()));
            disabled.retainAll(listed);
        }
        ToolServer changed = server.withDisabledTools(disabled).updatedAt(clock.millis());
        if (!repository.update(changed)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "The tool server of " + entry.name() + " was deleted");
        }
        servers.apply(changed);
        Responses.ok(res, servers.catalog().byName(entry.name()).map(ToolServerView::of).orElseThrow());
    }
}
