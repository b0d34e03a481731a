package io.chatai.channel;

import io.chatai.provider.UpstreamError;
import java.time.Duration;

/**
 * A channel's circuit breaker state and its rules, as pure functions so that the in-memory and the
 * shared (database) breakers cannot disagree: a failure cools the channel for 30 s, then 60 s, then
 * 5 min while failures repeat, a 429's {@code Retry-After} wins, and failures reported while it already
 * cools (requests that were in flight when it broke) extend nothing up the ladder. Immutable.
 *
 * @param failures     consecutive failures since the last success
 * @param coolingUntil epoch millis; 0 when not cooling
 */
public record Breaker(int failures, long coolingUntil) {
    public static final Breaker HEALTHY = new Breaker(0, 0);
    private static final Duration[] LADDER = {Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5)};
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    public boolean cooling(long now) {
        return coolingUntil > now;
    }

    /** The state after a failure at {@code now}. */
    public Breaker afterFailure(UpstreamError error, long now) {
        if (cooling(now)) {
            return new Breaker(failures, Math.max(coolingUntil, now + cooldown(error, 0).toMillis()));
        }
        return new Breaker(failures + 1, now + cooldown(error, failures + 1).toMillis());
    }

    /** A 429's Retry-After (capped) wins; otherwise the ladder's rung for this many failures (none for 0). */
    static Duration cooldown(UpstreamError error, int failures) {
        if (error instanceof UpstreamError.RateLimited limited && limited.retryAfter() != null) {
            return limited.retryAfter().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : limited.retryAfter();
        }
        return failures == 0 ? Duration.ZERO : LADDER[Math.min(failures, LADDER.length) - 1];
    }

    /** Where channel-level breaker state lives: this process, or the database shared by all instances. */
    public interface Store {
        /** Ready, the one probe after a cooldown, or cooling; claiming the probe is atomic. */
        ChannelHealth.Admission admit(Channel channel, long now);

        void succeeded(Channel channel);

        /** Records a failure; returns the state after it. */
        Breaker failed(Channel channel, UpstreamError error, long now);

        /** The probe ended without a verdict: let another request probe. */
        void released(Channel channel);

        Breaker state(Channel channel);

        void forget(String channelId);
    }
}
