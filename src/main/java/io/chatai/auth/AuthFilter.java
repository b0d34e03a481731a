package io.chatai.auth;

import io.chatai.ApiException;
import io.chatai.ErrorCode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

/**
 * Requires a valid key on every {@code /api/*} and {@code /v1/*} route and puts the {@link Caller} into
 * the request context; other paths ({@code /health}, {@code /ready}, the panel's files) pass. Thread-safe.
 */
public final class AuthFilter implements Filter {
    private final Authenticator authenticator;

    public AuthFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/v1/")) {
            String key = bearer(req);
            Caller caller = authenticator.authenticate(key).orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED,
                    key == null ? "Send the key as 'Authorization: Bearer <key>'" : "Unknown or revoked key"));
            req.context().register(caller);
        }
        chain.proceed();
    }

    private static String bearer(RoutingRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip())
                .orElse(null);
    }

    /** The authenticated caller of a request that passed this filter. */
    public static Caller caller(ServerRequest req) {
        return req.context().get(Caller.class)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "Not authenticated"));
    }
}
