package io.chatai.channel;

import io.chatai.provider.UpstreamError;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The circuit breaker of every channel: a channel cools down after {@code CHATAI_COOLDOWN_AFTER}
 * consecutive failures that say it is unhealthy, or at once on a 429 (30 s, then 60 s, then 5 min while
 * its probes fail; a 429's {@code Retry-After} wins), then admits exactly one live request as a probe
 * (half-open) and is healthy again when that succeeds; any success resets the count. Keys refused with
 * 401/403 stay out of rotation until the channel is edited; a 429 cools just that key when the channel
 * has others; a 404 marks only that model as missing on the channel for a while. Thread-safe.
 */
public final class ChannelHealth {
    private final Clock clock;
    private final Breaker.Store breakers;
    private final int cooldownAfter;
    private final Consumer<Channel> onCooldown;
    private final Map<String, ChannelState> states = new ConcurrentHashMap<>();

    /**
     * @param breakers      where channel breakers live: in memory, or shared through the database
     * @param cooldownAfter how many failures in a row cool a channel ({@code CHATAI_COOLDOWN_AFTER})
     * @param onCooldown    told when a channel starts to cool down (metrics)
     */
    public ChannelHealth(Clock clock, Breaker.Store breakers, int cooldownAfter, Consumer<Channel> onCooldown) {
        if (cooldownAfter < 1) {
            throw new IllegalArgumentException("cooldownAfter must be at least 1, got " + cooldownAfter);
        }
        this.clock = clock;
        this.breakers = breakers;
        this.cooldownAfter = cooldownAfter;
        this.onCooldown = onCooldown;
    }

    /** What the router may do with a channel right now. */
    public sealed interface Admission {
        /** Healthy: use it. */
        record Ready() implements Admission { }

        /** Its cooldown is over and this request is the one probe; report the outcome. */
        record Probe() implements Admission { }

        /** Cooling down (or another request is probing it) until the given epoch millis. */
        record Cooling(long until) implements Admission { }
    }

    /**
     * The state shown to operators.
     *
     * @param consecutiveFailures failures in a row since the last success; the channel cools at {@code CHATAI_COOLDOWN_AFTER}
     */
    public record View(String state, Long coolingUntil, int consecutiveFailures, int refusedKeys) { }

    public Admission admit(Channel channel) {
        return breakers.admit(channel, clock.millis());
    }

    public void succeeded(Channel channel) {
        breakers.succeeded(channel);
    }

    /**
     * Records a failure that says the channel is unhealthy (it may or may not cool it yet); returns when
     * the channel is usable again: the end of its cooldown, or now.
     */
    public long failed(Channel channel, UpstreamError error) {
        long now = clock.millis();
        boolean wasCooling = breakers.state(channel).cooling(now);
        Breaker after = breakers.failed(channel, breaker -> breaker.afterFailure(error, now, cooldownAfter));
        if (!wasCooling && after.cooling(now)) {
            onCooldown.accept(channel);
        }
        return after.cooling(now) ? after.coolingUntil() : now;
    }

    /** The request ended without a verdict (e.g. its client left): let another request probe. */
    public void released(Channel channel) {
        breakers.released(channel);
    }

    public void refuseKey(Channel channel, String key) {
        state(channel).refuseKey(key);
    }

    public void coolKey(Channel channel, String key, UpstreamError.RateLimited error) {
        state(channel).coolKey(key, error, clock.millis());
    }

    /** Whether a key may be used now: not refused, not cooling. */
    public boolean keyUsable(Channel channel, String key) {
        return state(channel).keyUsable(key, clock.millis());
    }

    /** When the first cooling (not refused) key of the channel is usable again; MAX_VALUE when none will be. */
    public long keysBackAt(Channel channel) {
        return state(channel).keysBackAt(channel.apiKeys(), clock.millis());
    }

    /** The channel answered 404 for this upstream model: skip the pair for a while, not the whole channel. */
    public void modelMissing(Channel channel, String upstreamModel) {
        state(channel).modelMissing(upstreamModel, clock.millis());
    }

    /** Until when the channel is known to lack the model; 0 when it may have it. */
    public long modelMissingUntil(Channel channel, String upstreamModel) {
        return state(channel).modelMissingUntil(upstreamModel, clock.millis());
    }

    public View view(Channel channel) {
        if (!channel.enabled()) {
            return new View("disabled", null, 0, 0);
        }
        return state(channel).view(breakers.state(channel), channel.apiKeys(), clock.millis());
    }

    /** Forgets a deleted channel. */
    public void forget(String channelId) {
        states.remove(channelId);
        breakers.forget(channelId);
    }

    private ChannelState state(Channel channel) {
        ChannelState state = states.computeIfAbsent(channel.id(), id -> new ChannelState(channel.revision()));
        state.revise(channel.revision());
        return state;
    }
}
