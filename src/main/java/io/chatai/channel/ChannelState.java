package io.chatai.channel;

import io.chatai.provider.UpstreamError;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The breaker state of one channel: its cooldown ladder and probe, its refused and cooling keys, and the
 * models it answered 404 for. Every method is atomic (guarded by this object's monitor).
 */
final class ChannelState {
    private static final Duration[] LADDER = {Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5)};
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    /** Clients choose model names, so the models remembered as missing must stay bounded. */
    private static final int MAX_MISSING_MODELS = 256;

    private long revision;
    private int failures;
    private long coolingUntil;
    private boolean probing;
    private final Set<String> refusedKeys = new HashSet<>();
    private final Map<String, Long> keyCoolingUntil = new HashMap<>();
    private final Map<String, Long> missingModels = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_MISSING_MODELS;
        }
    };

    ChannelState(long revision) {
        this.revision = revision;
    }

    /** An edit (new keys, new URL, new models) deserves a fresh start: refused keys come back. */
    synchronized void revise(long newRevision) {
        if (revision != newRevision) {
            revision = newRevision;
            refusedKeys.clear();
            keyCoolingUntil.clear();
            missingModels.clear();
        }
    }

    synchronized ChannelHealth.Admission admit(long now) {
        if (coolingUntil > now) {
            return new ChannelHealth.Admission.Cooling(coolingUntil);
        }
        if (failures == 0) {
            return new ChannelHealth.Admission.Ready();
        }
        if (probing) {
            return new ChannelHealth.Admission.Cooling(now);
        }
        probing = true;
        return new ChannelHealth.Admission.Probe();
    }

    synchronized void succeeded() {
        failures = 0;
        coolingUntil = 0;
        probing = false;
    }

    /**
     * Climbs the ladder, unless the channel is already cooling: requests admitted before the first failure
     * was known report the same outage, and must not push the channel straight to the longest cooldown.
     */
    synchronized long failed(UpstreamError error, long now) {
        probing = false;
        if (coolingUntil > now) {
            coolingUntil = Math.max(coolingUntil, now + cooldown(error, 0).toMillis());
            return coolingUntil;
        }
        failures++;
        coolingUntil = now + cooldown(error, failures).toMillis();
        return coolingUntil;
    }

    synchronized void released() {
        probing = false;
    }

    synchronized void refuseKey(String key) {
        refusedKeys.add(key);
    }

    synchronized void coolKey(String key, UpstreamError error, long now) {
        keyCoolingUntil.put(key, now + cooldown(error, 1).toMillis());
    }

    synchronized boolean keyUsable(String key, long now) {
        return !refusedKeys.contains(key) && keyCoolingUntil.getOrDefault(key, 0L) <= now;
    }

    /** When the first of these keys that is cooling (not refused) comes back; MAX_VALUE when none will. */
    synchronized long keysBackAt(List<String> keys, long now) {
        return keys.stream().filter(k -> !refusedKeys.contains(k))
                .mapToLong(k -> keyCoolingUntil.getOrDefault(k, 0L)).filter(t -> t > now).min().orElse(Long.MAX_VALUE);
    }

    synchronized void modelMissing(String model, long now) {
        missingModels.values().removeIf(until -> until <= now);
        missingModels.put(model, now + LADDER[0].toMillis());
    }

    /** Until when the channel is known not to have the model; 0 when it may. */
    synchronized long modelMissingUntil(String model, long now) {
        long until = missingModels.getOrDefault(model, 0L);
        return until > now ? until : 0;
    }

    /** Cooling when the channel is, or when every key it has is cooling or refused (and one will return). */
    synchronized ChannelHealth.View view(List<String> keys, long now) {
        long until = coolingUntil > now ? coolingUntil : 0;
        if (until == 0 && !keys.isEmpty() && keys.stream().noneMatch(k -> keyUsable(k, now))) {
            long back = keysBackAt(keys, now);
            until = back == Long.MAX_VALUE ? 0 : back;
        }
        return new ChannelHealth.View(until > 0 ? "cooling" : "healthy", until > 0 ? until : null, failures, refusedKeys.size());
    }

    /** A 429's Retry-After (capped) wins; otherwise the ladder's rung for this many failures (none for 0). */
    private static Duration cooldown(UpstreamError error, int failures) {
        if (error instanceof UpstreamError.RateLimited limited && limited.retryAfter() != null) {
            return limited.retryAfter().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : limited.retryAfter();
        }
        return failures == 0 ? Duration.ZERO : LADDER[Math.min(failures, LADDER.length) - 1];
    }
}
