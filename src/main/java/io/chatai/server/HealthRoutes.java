package io.chatai.server;

import io.chatai.web.Responses;
import io.chatai.store.Database;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/** {@code GET /health} (the process answers) and {@code GET /ready} (the database answers too); no key needed. */
public final class HealthRoutes implements HttpService {
    private final Database database;

    public HealthRoutes(Database database) {
        this.database = database;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health).get("/ready", this::ready);
    }

    private void health(ServerRequest req, ServerResponse res) {
        Responses.send(res, 200, Map.of("status", "UP"));
    }

    private void ready(ServerRequest req, ServerResponse res) {
        // Migrations run before the server accepts connections, so a reachable database is a migrated one.
        boolean reachable = database.isReachable();
        Responses.send(res, reachable ? 200 : 503, Map.of("status", reachable ? "READY" : "DATABASE_UNREACHABLE"));
    }
}
