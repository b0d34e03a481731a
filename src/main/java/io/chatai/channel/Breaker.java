package io.chatai.channel;

import io.chatai.provider.UpstreamError;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A channel's circuit breaker state and its rules, as pure functions so that the in-memory and the
 * shared (database) breakers cannot disagree. Failures that say the channel is unhealthy are counted
 * while they come in a row; the channel cools down once {@code cooldownAfter} of them did, or at once
 * on a 429 or 402. Cooldowns last 30 s, then 60 s, then 5 min while the probe after each one fails; a
 * 429's {@code Retry-After} wins. Failures reported while it already cools (requests that were in flight
 * when it broke) count for nothing more. A success resets everything. Immutable.
 *
 * @param failures     consecutive failures since the last success
 * @param cooldowns    cooldowns since the last success: the ladder's rung; while above 0 only a probe may
 *                     use the channel once its cooldown ended
 * @param coolingUntil epoch millis; 0 when not cooling
 */
public record Breaker(int failures, int cooldowns, long coolingUntil) {
    public static final Breaker HEALTHY = new Breaker(0, 0, 0);
    private static final Duration[] LADDER = {Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5)};
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    public boolean cooling(long now) {
        return coolingUntil > now;
    }

    /** It cooled down since the last success, so one probe must succeed before traffic returns. */
    public boolean tripped() {
        return cooldowns > 0;
    }

    /** The state after a failure at {@code now}, for a channel that cools after {@code cooldownAfter} in a row. */
    public Breaker afterFailure(UpstreamError error, long now, int cooldownAfter) {
        if (cooling(now)) {
            return new Breaker(failures, cooldowns, Math.max(coolingUntil, now + cooldown(error, 0).toMillis()));
        }
        int inARow = failures + 1;
        // A failed probe cools again at once; so does a rate limit, which only time cures.
        boolean cools = tripped() || error instanceof UpstreamError.RateLimited || inARow >= cooldownAfter;
        if (!cools) {
            return new Breaker(inARow, 0, 0);
        }
        return new Breaker(inARow, cooldowns + 1, now + cooldown(error, cooldowns + 1).toMillis());
    }

    /** A 429's Retry-After (capped) wins; otherwise the ladder's rung for this many cooldowns (none for 0). */
    static Duration cooldown(UpstreamError error, int rung) {
        if (error instanceof UpstreamError.RateLimited limited && limited.retryAfter() != null) {
            return limited.retryAfter().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : limited.retryAfter();
        }
        return rung == 0 ? Duration.ZERO : LADDER[Math.min(rung, LADDER.length) - 1];
    }

    /** Where channel-level breaker state lives: this process, or the database shared by all instances. */
    public interface Store {
        /** Ready, the one probe after a cooldown, or cooling; claiming the probe is atomic. */
        ChannelHealth.Admission admit(Channel channel, long now);

        /** Resets the breaker: the count of failures in a row starts over. */
        void succeeded(Channel channel);

        /** Applies a failure atomically (across instances for a shared store); returns the state after it. */
        Breaker failed(Channel channel, UnaryOperator<Breaker> failure);

        /** The probe ended without a verdict: let another request probe. */
        void released(Channel channel);

        Breaker state(Channel channel);

        void forget(String channelId);
    }
}
