package io.chatai.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.List;

/**
 * Cross-origin access for browsers, off unless {@code CHATAI_CORS_ORIGINS} lists origins. Only Bearer
 * keys work cross-origin: credentials (the panel's cookie) are never allowed, so a foreign page can
 * never ride an operator's session. Thread-safe.
 */
public final class Cors implements Filter {
    private final List<String> origins;

    public Cors(List<String> origins) {
        this.origins = List.copyOf(origins);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
        if (origin == null || !(origins.contains("*") || origins.contains(origin))) {
            chain.proceed();
            return;
        }
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origins.contains("*") ? "*" : origin);
        res.header(HeaderNames.VARY, "Origin");
        res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, Retry-After");
        boolean preflight = req.prologue().method() == Method.OPTIONS
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (preflight) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, DELETE");
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type, X-Request-Id");
            res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
            res.status(204).send();
            return;
        }
        chain.proceed();
    }
}
