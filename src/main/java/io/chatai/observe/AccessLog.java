package io.chatai.observe;

import io.chatai.web.RequestIds;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line and one metric per request: request id, method, route template, status, duration and,
 * for chats, the channel that answered. Never logs bodies, headers or keys. Thread-safe.
 */
public final class AccessLog implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger("io.chatai.access");
    private static final Pattern ID_SEGMENT = Pattern.compile("/(conv|ch|key)_[A-Za-z0-9]+");
    /** Any token is a method to HTTP; only these become metric tags, so invented ones cannot grow the series. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

    private final Metrics metrics;

    public AccessLog(Metrics metrics) {
        this.metrics = metrics;
    }

    /** Mutable per-request facts that handlers learn later (the channel that answered). */
    private static final class Facts {
        private volatile String channel;
    }

    /**
     * The facts of the request this thread is handling: a scoped value rather than Helidon's request context,
     * whose every lookup takes a read-write lock (~1 % of a relayed request's CPU in the profile).
     */
    private static final ScopedValue<Facts> FACTS = ScopedValue.newInstance();

    /** Notes which channel answered the request this thread is handling, for its log line. */
    public static void channel(String channel) {
        if (FACTS.isBound()) {
            FACTS.get().channel = channel;
        }
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long started = System.nanoTime();
        Facts facts = new Facts();
        // Logged once the response is out, so the status is final even when a later filter or the route
        // failed and an error handler answered.
        res.whenSent(() -> {
            long nanos = System.nanoTime() - started;
            int status = res.status().code();
            String route = route(req.prologue().uriPath().path());
            String method = req.prologue().method().text();
            metrics.httpRequest(route, METHODS.contains(method) ? method : "OTHER", status, nanos);
            LOG.atInfo()
                    .addKeyValue("requestId", RequestIds.of(req))
                    .addKeyValue("method", method)
                    .addKeyValue("route", route)
                    .addKeyValue("status", status)
                    .addKeyValue("durationMs", nanos / 1_000_000.0)
                    .addKeyValue("channel", facts.channel)
                    .log("request");
        });
        ScopedValue.where(FACTS, facts).run(chain::proceed);
    }

    /** The route template of a path: ids become {id}, so metrics keep a bounded set of label values. */
    static String route(String path) {
        // Every id segment has an underscore; most paths have none, and skip the regex (it ran on every request).
        String route = path.indexOf('_') < 0 ? path : ID_SEGMENT.matcher(path).replaceAll("/{id}");
        if (route.startsWith("/api/presets/")) {
            route = "/api/presets/{id}";
        }
        return switch (route) {
            case "/api/chat", "/api/chat/stream", "/api/conversations", "/api/conversations/{id}",
                 "/api/conversations/{id}/clear", "/api/channels", "/api/channels/{id}", "/api/channels/{id}/test",
                 "/api/presets", "/api/presets/{id}", "/api/keys", "/api/keys/{id}", "/api/auth/login",
                 "/api/auth/logout", "/api/stats/usage", "/v1/chat/completions", "/v1/models", "/v1/embeddings", "/health", "/ready",
                 "/metrics", "/" -> route;
            default -> route.startsWith("/api/") || route.startsWith("/v1/") ? "other" : "static";
        };
    }
}
