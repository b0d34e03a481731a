package io.chatai.auth;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * Requires a valid key (or an admin panel session cookie) on every {@code /api/*} and {@code /v1/*}
 * route, except opening and closing a session, and puts the {@link Caller} into the request context; a
 * change made with the cookie must come from the panel's own page ({@link PanelOrigin});
 * other paths ({@code /health}, {@code /ready}, the panel's files) pass. Thread-safe.
 */
public final class AuthFilter implements Filter {
    private static final HeaderName X_API_KEY = HeaderNames.create("x-api-key");
    private final Authenticator authenticator;
    private final Sessions sessions;

    public AuthFilter(Authenticator authenticator, Sessions sessions) {
        this.authenticator = authenticator;
        this.sessions = sessions;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.prologue().uriPath().path();
        boolean guarded = path.startsWith("/api/") || path.equals("/api") || path.startsWith("/v1/");
        if (guarded && !path.startsWith("/api/auth/")) {
            req.context().register(authenticate(req));
        }
        chain.proceed();
    }

    private Caller authenticate(RoutingRequest req) {
        String key = bearer(req);
        if (key == null && req.prologue().uriPath().path().startsWith("/v1/")) {
            key = apiKeyHeader(req); // Anthropic's clients send the key as x-api-key
        }
        if (key != null) {
            return authenticator.authenticate(key)
                    .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "Unknown or revoked key"));
        }
        Optional<String> cookie = sessionCookie(req);
        if (cookie.isPresent()) {
            if (sessions.isValid(cookie.get())) {
                PanelOrigin.require(req.prologue().method(), req.headers(), req.isSecure());
                return Caller.administrator();
            }
            throw new ApiException(ErrorCode.UNAUTHORIZED, "The session expired or ended; log in again");
        }
        throw new ApiException(ErrorCode.UNAUTHORIZED, "Send the key as 'Authorization: Bearer <key>'");
    }

    /** The key of an {@code Authorization: Bearer <key>} header, or null. */
    public static String bearer(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip())
                .orElse(null);
    }

    /** The key of an {@code x-api-key} header (Anthropic's spelling), or null. */
    static String apiKeyHeader(ServerRequest req) {
        return req.headers().first(X_API_KEY).map(String::strip).filter(value -> !value.isEmpty()).orElse(null);
    }

    /** The panel session cookie of the request, if any. */
    static Optional<String> sessionCookie(ServerRequest req) {
        return req.headers().cookies().first(Sessions.COOKIE).asOptional();
    }

    /** Route rule for admin-only services: refuses any other caller with 403 before the service's handlers. */
    public static void requireAdmin(ServerRequest req, io.helidon.webserver.http.ServerResponse res) {
        caller(req).requireAdmin();
        res.next();
    }

    /** The authenticated caller of a request that passed this filter. */
    public static Caller caller(ServerRequest req) {
        return req.context().get(Caller.class)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "Not authenticated"));
    }
}
