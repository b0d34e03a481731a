package io.chatai.channel;

import io.chatai.provider.UpstreamError;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The circuit breaker of every channel: a failing channel cools down (30 s, then 60 s, then 5 min while
 * failures repeat; a 429's {@code Retry-After} wins), then admits exactly one live request as a probe
 * (half-open) and is healthy again when that succeeds. Keys refused with 401/403 stay out of rotation
 * until the channel is edited; a 429 cools just that key when the channel has others. Thread-safe.
 */
public final class ChannelHealth {
    private static final Duration[] LADDER = {Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5)};
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public ChannelHealth(Clock clock) {
        this.clock = clock;
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

    /** The state shown to operators. */
    public record View(String state, Long coolingUntil, int failures, int refusedKeys) { }

    public Admission admit(Channel channel) {
        State state = state(channel);
        long now = clock.millis();
        synchronized (state) {
            if (state.coolingUntil > now) {
                return new Admission.Cooling(state.coolingUntil);
            }
            if (state.failures == 0) {
                return new Admission.Ready();
            }
            if (state.probing) {
                return new Admission.Cooling(now);
            }
            state.probing = true;
            return new Admission.Probe();
        }
    }

    public void succeeded(Channel channel) {
        State state = state(channel);
        synchronized (state) {
            state.failures = 0;
            state.coolingUntil = 0;
            state.probing = false;
        }
    }

    /** Records a failure that cools the channel; returns when the cooldown ends. */
    public long failed(Channel channel, UpstreamError error) {
        State state = state(channel);
        long now = clock.millis();
        synchronized (state) {
            state.failures++;
            state.probing = false;
            state.coolingUntil = now + cooldown(state.failures, error).toMillis();
            return state.coolingUntil;
        }
    }

    /** The request ended without a verdict (e.g. its client left): let another request probe. */
    public void released(Channel channel) {
        State state = state(channel);
        synchronized (state) {
            state.probing = false;
        }
    }

    public void refuseKey(Channel channel, String key) {
        State state = state(channel);
        synchronized (state) {
            state.refusedKeys.add(key);
        }
    }

    public void coolKey(Channel channel, String key, UpstreamError.RateLimited error) {
        State state = state(channel);
        long until = clock.millis() + cooldown(1, error).toMillis();
        synchronized (state) {
            state.keyCoolingUntil.put(key, until);
        }
    }

    /** Whether a key may be used now: not refused, not cooling. */
    public boolean keyUsable(Channel channel, String key) {
        State state = state(channel);
        synchronized (state) {
            return !state.refusedKeys.contains(key) && state.keyCoolingUntil.getOrDefault(key, 0L) <= clock.millis();
        }
    }

    public View view(Channel channel) {
        if (!channel.enabled()) {
            return new View("disabled", null, 0, 0);
        }
        State state = state(channel);
        synchronized (state) {
            boolean cooling = state.coolingUntil > clock.millis();
            return new View(cooling ? "cooling" : "healthy", cooling ? state.coolingUntil : null, state.failures,
                    state.refusedKeys.size());
        }
    }

    /** Forgets a deleted channel. */
    public void forget(String channelId) {
        states.remove(channelId);
    }

    private State state(Channel channel) {
        State state = states.computeIfAbsent(channel.id(), id -> new State(channel.revision()));
        synchronized (state) {
            if (state.revision != channel.revision()) {
                // An edit (new keys, new URL) deserves a fresh start: refused keys come back.
                state.revision = channel.revision();
                state.refusedKeys.clear();
                state.keyCoolingUntil.clear();
            }
        }
        return state;
    }

    private static Duration cooldown(int failures, UpstreamError error) {
        if (error instanceof UpstreamError.RateLimited limited && limited.retryAfter() != null) {
            return limited.retryAfter().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : limited.retryAfter();
        }
        return LADDER[Math.min(failures, LADDER.length) - 1];
    }

    private static final class State {
        long revision;
        int failures;
        long coolingUntil;
        boolean probing;
        final Set<String> refusedKeys = new HashSet<>();
        final Map<String, Long> keyCoolingUntil = new HashMap<>();

        State(long revision) {
            this.revision = revision;
        }
    }
}
