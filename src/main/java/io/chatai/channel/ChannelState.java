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
 * What one instance remembers of a channel besides its breaker: its refused and cooling keys, and the
 * models it answered 404 for. Every method is atomic (guarded by this object's monitor).
 */
final class ChannelState {
    /** How long a 404 keeps a model marked missing on a channel. */
    private static final Duration MISSING_MODEL = Duration.ofSeconds(60);
    /** Clients choose model names, so the models remembered as missing must stay bounded. */
    private static final int MAX_MISSING_MODELS = 256;

    private long revision;
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

    synchronized void refuseKey(String key) {
        refusedKeys.add(key);
    }

    synchronized void coolKey(String key, UpstreamError error, long now) {
        keyCoolingUntil.put(key, now + Breaker.cooldown(error, 1).toMillis());
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
        missingModels.put(model, now + MISSING_MODEL.toMillis());
    }

    /** Until when the channel is known not to have the model; 0 when it may. */
    synchronized long modelMissingUntil(String model, long now) {
        long until = missingModels.getOrDefault(model, 0L);
        return until > now ? until : 0;
    }

    /** Cooling when the breaker is, or when every key is cooling or refused (and one will return). */
    synchronized ChannelHealth.View view(Breaker breaker, List<String> keys, long now) {
        long until = breaker.cooling(now) ? breaker.coolingUntil() : 0;
        if (until == 0 && !keys.isEmpty() && keys.stream().noneMatch(k -> keyUsable(k, now))) {
            long back = keysBackAt(keys, now);
            until = back == Long.MAX_VALUE ? 0 : back;
        }
        return new ChannelHealth.View(until > 0 ? "cooling" : "healthy", until > 0 ? until : null, breaker.failures(), refusedKeys.size());
    }
}
