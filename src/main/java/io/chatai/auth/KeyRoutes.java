package io.chatai.auth;

import io.chatai.core.Secrets;
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
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/keys}: the admin creates (the key is shown once), lists (never a secret) and revokes client keys. */
public final class KeyRoutes implements HttpService {
    /** 43 base62 characters carry about 256 random bits. */
    private static final int KEY_RANDOM_CHARS = 43;

    private final ApiKeyRepository keys;
    private final Authenticator authenticator;
    private final Clock clock;

    public KeyRoutes(ApiKeyRepository keys, Authenticator authenticator, Clock clock) {
        this.keys = keys;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(AuthFilter::requireAdmin)
                .get("/", this::list)
                .post("/", this::create)
                .delete("/{id}", this::revoke);
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonBody body = Requests.json(req);
        ApiKey key = new ApiKey(Secrets.newToken("key_", 16), body.requiredString("name", 100),
                body.optionalString("userId", 64), body.optionalInteger("rateLimitPerMinute", 0, 1_000_000), clock.millis());
        String secret = Secrets.newToken("sk-chatai-", KEY_RANDOM_CHARS);
        keys.insert(key, Secrets.sha256(secret));
        Map<String, Object> view = view(key);
        view.put("key", secret);
        Responses.created(res, view);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Responses.ok(res, keys.listActive().stream().map(KeyRoutes::view).toList());
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        String id = Requests.pathId(req, "id", ErrorCode.NOT_FOUND);
        if (!keys.revoke(id, clock.millis())) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No active key " + id);
        }
        authenticator.revoked(id);
        Responses.send(res, 200, Map.of("success", true));
    }

    private static Map<String, Object> view(ApiKey key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", key.id());
        view.put("name", key.name());
        view.put("userId", key.userId());
        view.put("rateLimitPerMinute", key.rateLimitPerMinute());
        view.put("createdAt", key.createdAt());
        return view;
    }
}
