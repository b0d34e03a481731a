package io.chatai.channel;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.provider.UpstreamError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one routed request tried, and the client errors made of it: 503 {@code CHANNEL_UNAVAILABLE}
 * listing channel names and reasons (never keys), or 502 {@code MODEL_ERROR}. Used by one request's
 * thread only.
 */
final class RoutingFailures {
    private final String model;
    private final List<Map<String, Object>> tried = new ArrayList<>();
    private long earliestRecovery = Long.MAX_VALUE;
    private int calls;

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
    }

    void failed(Channel channel, UpstreamError error, long backAt) {
        tried.add(entry(channel, error.describe()));
        earliestRecovery = Math.min(earliestRecovery, backAt);
    }

    static ApiException modelError(Channel channel, UpstreamError error, boolean afterContent) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("channel", channel.name());
        details.put("status", error.status());
        details.put("message", error.describe());
        String message = error instanceof UpstreamError.LimitExceeded
                ? "The model's answer was " + error.describe()
                : afterContent
                ? "The model's answer broke off: " + error.describe()
                : "The model refused the request: " + error.describe();
        return new ApiException(ErrorCode.MODEL_ERROR, message, details);
    }

    static ApiException noChannel(String model) {
        return new ApiException(ErrorCode.CHANNEL_UNAVAILABLE, "No enabled channel serves model '" + model
                + "'; add one with POST /api/channels (models: [\"" + model + "\"] or [\"*\"])",
                Map.of("model", model, "tried", List.of()));
    }

    /** Nothing is left; Retry-After tells when the first channel tried or skipped may be usable again. */
    ApiException unavailable(long now) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", model);
        details.put("attempts", calls);
        details.put("tried", List.copyOf(tried));
        Integer retryAfter = earliestRecovery == Long.MAX_VALUE ? null
                : (int) Math.max(1, (earliestRecovery - now + 999) / 1000); // rounded up: never too early
        String message = calls == 0
                ? "Every channel serving '" + model + "' is cooling down or has no usable key"
                : "All " + calls + " attempts for '" + model + "' failed; see details.tried";
        return new ApiException(ErrorCode.CHANNEL_UNAVAILABLE, message, details, retryAfter);
    }

    private static Map<String, Object> entry(Channel channel, String reason) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("channel", channel.name());
        entry.put("error", reason);
        return entry;
    }
}
