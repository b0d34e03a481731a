package io.chatai.observe;

import io.chatai.channel.CallListener;
import io.chatai.channel.CallReport;

/**
 * Feeds every upstream call into the upstream latency, time-to-first-token, token and failover metrics,
 * and counts the calls that ended for a reason that is not the channel's fault (the client left, or the
 * stream broke after content reached the client), which therefore never cool it. Thread-safe.
 */
public final class CallMetrics implements CallListener {
    private final Metrics metrics;

    public CallMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The model tag of every call to a model its channel does not name: clients choose model names, so they are grouped. */
    static final String OTHER_MODEL = "other";

    @Override
    public void onCall(CallReport report) {
        String channel = report.channel().name();
        // A channel serving "*" takes any name a client invents; only names the operator configured become tags.
        String model = report.channel().names(report.model()) ? report.model() : OTHER_MODEL;
        metrics.upstreamCall(channel, model, report.outcome(), report.latencyNanos(), report.ttftNanos(),
                report.usage().promptTokens(), report.usage().completionTokens());
        if (report.failedOver()) {
            metrics.failover(channel, report.error() == null ? "unknown" : report.error().getClass().getSimpleName());
        }
        if (report.outcome().equals("cancelled")) {
            metrics.interrupted(channel, "client_left");
        } else if (report.afterContent()) {
            metrics.interrupted(channel, "broken_after_content");
        }
    }
}
