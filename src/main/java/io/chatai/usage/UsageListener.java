package io.chatai.usage;

import io.chatai.channel.CallListener;
import io.chatai.channel.CallReport;
import java.time.Clock;

/**
 * Turns every upstream call into a usage record for the {@link UsageWriter}, priced with the price table
 * as it is at that moment. Thread-safe.
 */
public final class UsageListener implements CallListener {
    private final UsageWriter writer;
    private final PriceTable prices;
    private final Clock clock;

    public UsageListener(UsageWriter writer, PriceTable prices, Clock clock) {
        this.writer = writer;
        this.prices = prices;
        this.clock = clock;
    }

    @Override
    public void onCall(CallReport report) {
        var context = report.context();
        writer.record(new UsageRecord(clock.millis(), context.route(), context.keyId(), context.userId(), context.groupId(),
                context.conversationId(), report.channel().id(), report.channel().name(), report.model(),
                report.usage().promptTokens(), report.usage().completionTokens(), report.usage().estimated(),
                report.latencyNanos() / 1_000_000, report.ttftNanos() == null ? null : report.ttftNanos() / 1_000_000,
                report.outcome(), report.error() == null ? null : report.error().describe(), report.purpose().wire(),
                prices.costNanos(report), context.turnId()));
    }
}
