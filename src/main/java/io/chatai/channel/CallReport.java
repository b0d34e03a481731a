package io.chatai.channel;

import io.chatai.core.message.TokenUsage;
import io.chatai.provider.UpstreamError;

/**
 * What happened in one upstream call: where it went, how long it took, what it cost. Immutable.
 *
 * @param model        the model as requested (before the channel's mapping)
 * @param outcome      {@code ok}, {@code error} or {@code cancelled}
 * @param ttftNanos    time to the first streamed token, or null
 * @param usage        tokens (reported or estimated); zero for calls that produced nothing
 * @param error        the failure, or null
 * @param failedOver   the request moved on to another key or channel after this call
 * @param afterContent the call failed after some of its answer had reached the client (a stream broken mid-way)
 */
public record CallReport(CallContext context, Channel channel, String model, String outcome, long latencyNanos,
                         Long ttftNanos, TokenUsage usage, UpstreamError error, boolean failedOver, boolean afterContent) {

    /** What the call produced: a chat answer, embeddings. */
    public CallPurpose purpose() {
        return context.purpose();
    }
}
