package io.chatai.channel;

import io.chatai.core.ErrorCode;
import io.chatai.provider.UpstreamError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one routed request tried, and the client errors made of it: 503 {@code CHANNEL_UNAVAILABLE}
 * listing channel names and reasons (never keys), or 502 {@code MODEL_ERROR}, each a
 * {@link RoutingException} that also says whether the model is served at all. Used by one request's
 * thread only.
 */
final class RoutingFailures {
    private final String model;
    private final List<Map<String, Object>> tried = new ArrayList<>();
    private long earliestRecovery = Long.MAX_VALUE;
    private int calls;
    /** Every channel seen so far lacks the model (answered 404 now or before); false after any other outcome. */
    private boolean onlyMissing = true;

    RoutingFailures(String model) {
        this.model = model;
    }

    int calls() {
        return calls;
    }

    void called() {
        calls++;
    }

    /** A channel or key not called; {@code until} is when it may be usable again, MAX_VALUE if unknown. */
    void skipped(Channel channel, String reason, long until) {
        tried.add(entry(channel, reason));
        earliestRecovery = Math.min(earliestRecovery, until);
        onlyMissing = false;
    }

    /** A channel not called because it answered 404 for this model a moment ago. */
    void missing(Channel channel, String upstreamModel, long until) {
        tried.add(entry(channel, "model '" + upstreamModel + "' was not found there"));
        earliestRecovery = Math.min(earliestRecovery, until);
    }

    /** A channel not called because it cannot honour a field of the request; says nothing about the model. */
    void refused(Channel channel, String field) {
        tried.add(entry(channel, "cannot honour " + field + " (channel type " + channel.type() + ")"));
    }

    void failed(Channel channel, UpstreamError error, long backAt) {
        tried.add(entry(channel, error.describe()));
        earliestRecovery = Math.min(earliestRecovery, backAt);
        onlyMissing &= error instanceof UpstreamError.NotFound;
    }

    static RoutingException modelError(Channel channel, UpstreamError error, boolean afterContent) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("channel", channel.name());
        details.put("status", error.status());
        details.put("message", error.describe());
        String message = error instanceof UpstreamError.LimitExceeded
                ? "The model's answer was " + error.describe()
                : afterContent
                ? "The model's answer broke off: " + error.describe()
                : "The model refused the request: " + error.describe();
        return new RoutingException(ErrorCode.MODEL_ERROR, message, details, null, false, error, null);
    }

    /** Every channel serving the model refused the request: the caller's to change, so a 400 naming the field. */
    static RoutingException unsupported(String field, String channelType) {
        return new RoutingException(ErrorCode.INVALID_REQUEST, field + " is not supported by channel type " + channelType,
                Map.of("param", field, "channelType", channelType), null, false, null, field);
    }

    static RoutingException noChannel(String model) {
        return new RoutingException(ErrorCode.CHANNEL_UNAVAILABLE, "No enabled channel serves model '" + model
                + "'; add one with POST /api/channels (models: [\"" + model + "\"] or [\"*\"])",
                Map.of("model", model, "tried", List.of()), null, true, null, null);
    }

    /**
     * Nothing is left; Retry-After tells when the first channel tried or skipped may be usable again.
     *
     * @param sawEveryCandidate false when the attempts ran out before every channel serving the model was tried
     */
    RoutingException unavailable(long now, boolean sawEveryCandidate) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", model);
        details.put("attempts", calls);
        details.put("tried", List.copyOf(tried));
        Integer retryAfter = earliestRecovery == Long.MAX_VALUE ? null
                : (int) Math.max(1, (earliestRecovery - now + 999) / 1000); // rounded up: never too early
        String message = calls == 0
                ? "Every channel serving '" + model + "' is cooling down or has no usable key"
                : "All " + calls + " attempts for '" + model + "' failed; see details.tried";
        boolean notServed = sawEveryCandidate && onlyMissing && !tried.isEmpty();
        return new RoutingException(ErrorCode.CHANNEL_UNAVAILABLE, message, details, retryAfter, notServed, null, null);
    }

    private static Map<String, Object> entry(Channel channel, String reason) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("channel", channel.name());
        entry.put("error", reason);
        return entry;
    }
}
