package io.chatai.observe;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.auth.AuthFilter;
import io.chatai.auth.Authenticator;
import io.chatai.auth.Caller;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /metrics} in Prometheus text format; needs the admin key unless {@code CHATAI_METRICS_PUBLIC=true}. */
public final class MetricsRoutes implements HttpService {
    private final Metrics metrics;
    private final Authenticator authenticator;
    private final boolean open;

    public MetricsRoutes(Metrics metrics, Authenticator authenticator, boolean open) {
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.open = open;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", this::scrape);
    }

    private void scrape(ServerRequest req, ServerResponse res) {
        if (!open) {
            Caller caller = authenticator.authenticate(AuthFilter.bearer(req))
                    .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "/metrics needs the admin key (or CHATAI_METRICS_PUBLIC=true)"));
            caller.requireAdmin();
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.scrape());
    }
}
