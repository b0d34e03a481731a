package io.chatai.observe;

import io.chatai.channel.CallListener;
import io.chatai.channel.CallReport;

/** Feeds every upstream call into the upstream latency, time-to-first-token, token and failover metrics. */
public final class CallMetrics implements CallListener {
    private final Metrics metrics;

    public CallMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onCall(CallReport report) {
        String channel = report.channel().name();
        metrics.upstreamCall(channel, report.model(), report.outcome(), report.latencyNanos(), report.ttftNanos(),
                report.usage().promptTokens(), report.usage().completionTokens());
        if (report.failedOver()) {
            metrics.failover(channel, report.error() == null ? "unknown" : report.error().getClass().getSimpleName());
        }
    }
}
