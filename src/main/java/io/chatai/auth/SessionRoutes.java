package io.chatai.auth;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/**
 * {@code POST /api/auth/login {"key"}} opens a web panel session for the admin key as an
 * {@code HttpOnly}, {@code SameSite=Strict} cookie; {@code POST /api/auth/logout} ends it.
 */
public final class SessionRoutes implements HttpService {
    private final Sessions sessions;
    private final Authenticator authenticator;

    public SessionRoutes(Sessions sessions, Authenticator authenticator) {
        this.sessions = sessions;
        this.authenticator = authenticator;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/login", this::login).post("/logout", this::logout);
    }

    private void login(ServerRequest req, ServerResponse res) {
        String key = Requests.json(req).requiredString("key", 512);
        Caller caller = authenticator.authenticate(key)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "Unknown or revoked key"));
        if (!caller.admin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Only the admin key can open a panel session");
        }
        res.header(HeaderNames.SET_COOKIE, cookie(req, sessions.open(), Sessions.LIFETIME.toSeconds()));
        Responses.ok(res, Map.of("expiresInSeconds", Sessions.LIFETIME.toSeconds()));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        if (AuthFilter.sessionCookie(req).isPresent()) {
            PanelOrigin.require(req.prologue().method(), req.headers(), req.isSecure()); // another page must not end the operator's session either
        }
        AuthFilter.sessionCookie(req).ifPresent(sessions::close);
        res.header(HeaderNames.SET_COOKIE, cookie(req, "", 0));
        Responses.send(res, 200, Map.of("success", true));
    }

    private static String cookie(ServerRequest req, String value, long maxAgeSeconds) {
        boolean secure = req.isSecure() || req.headers().first(HeaderNames.X_FORWARDED_PROTO).map("https"::equalsIgnoreCase).orElse(false);
        return Sessions.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
                + (secure ? "; Secure" : "");
    }
}
