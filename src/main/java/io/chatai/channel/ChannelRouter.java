package io.chatai.channel;

import io.chatai.ApiException;
import io.chatai.ErrorCode;
import io.chatai.provider.CallCancelledException;
import io.chatai.provider.Cancellation;
import io.chatai.provider.Provider;
import io.chatai.provider.Providers;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Chooses channels and keys for a model and fails over between them. Candidates are the enabled
 * channels serving the model and not cooling down; higher {@code priority} first, weighted random by
 * {@code weight} within one priority; keys of a channel rotate. A retryable failure moves on until
 * {@code CHATAI_MAX_ATTEMPTS} calls were made, but only while nothing has reached the client. Thread-safe.
 */
public final class ChannelRouter {
    private final ChannelCatalog catalog;
    private final ChannelHealth health;
    private final Providers providers;
    private final int maxAttempts;
    private final Clock clock;
    private final Map<String, AtomicInteger> keyCursors = new ConcurrentHashMap<>();

    public ChannelRouter(ChannelCatalog catalog, ChannelHealth health, Providers providers, int maxAttempts, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
        this.health = health;
        this.providers = providers;
        this.maxAttempts = maxAttempts;
    }

    /** One upstream call on a chosen channel and key. */
    @FunctionalInterface
    public interface Call<T> {
        T run(Provider provider, Upstream upstream, String upstreamModel);
    }

    /** The result and where it came from. */
    public record Routed<T>(T result, Channel channel, String upstreamModel, int attempts) { }

    /**
     * Runs the call on the best channel for the model, failing over on retryable errors.
     *
     * @param contentSent tells whether any of the answer reached the client; after that, no failover
     * @throws ApiException {@code CHANNEL_UNAVAILABLE} when nothing is left, {@code MODEL_ERROR} when
     *                      the upstream refused the request or broke after content was sent
     * @throws CallCancelledException when the client left
     */
    public <T> Routed<T> route(String model, Call<T> call, Cancellation cancellation, BooleanSupplier contentSent) {
        List<Channel> candidates = candidates(model);
        List<Map<String, Object>> tried = new ArrayList<>();
        long earliestRecovery = Long.MAX_VALUE;
        int attempts = 0;
        for (Channel channel : candidates) {
            ChannelHealth.Admission admission = health.admit(channel);
            if (admission instanceof ChannelHealth.Admission.Cooling cooling) {
                earliestRecovery = Math.min(earliestRecovery, cooling.until());
                tried.add(entry(channel, "cooling down"));
                continue;
            }
            boolean probing = admission instanceof ChannelHealth.Admission.Probe;
            Provider provider = providers.forType(channel.type()).orElse(null);
            if (provider == null) {
                tried.add(entry(channel, "no adapter for type " + channel.type()));
                release(channel, probing);
                continue;
            }
            boolean verdict = false;
            try {
                List<String> keys = keyOrder(channel);
                if (keys.isEmpty()) {
                    tried.add(entry(channel, "every key is refused or cooling down"));
                }
                for (String key : keys) {
                    if (attempts == maxAttempts) {
                        break;
                    }
                    attempts++;
                    try {
                        T result = call.run(provider, upstream(channel, key), channel.upstreamModel(model));
                        health.succeeded(channel);
                        verdict = true;
                        return new Routed<>(result, channel, channel.upstreamModel(model), attempts);
                    } catch (UpstreamException e) {
                        if (cancellation.isCancelled()) {
                            throw new CallCancelledException("client left");
                        }
                        UpstreamError error = e.error();
                        tried.add(entry(channel, error.describe()));
                        if (error instanceof UpstreamError.AuthFailed) {
                            health.refuseKey(channel, key);
                            continue;
                        }
                        if (error instanceof UpstreamError.RateLimited limited && channel.apiKeys().size() > 1 && !contentSent.getAsBoolean()) {
                            health.coolKey(channel, key, limited);
                            continue;
                        }
                        if (error.coolsChannel()) {
                            health.failed(channel, error);
                            verdict = true;
                        }
                        if (contentSent.getAsBoolean() || !error.retryable()) {
                            throw modelError(channel, error, contentSent.getAsBoolean());
                        }
                        break; // the channel itself is failing: the next channel, not its next key
                    }
                }
            } finally {
                if (!verdict) {
                    release(channel, probing);
                }
            }
            if (attempts == maxAttempts) {
                break;
            }
        }
        throw unavailable(model, candidates, tried, attempts, earliestRecovery);
    }

    /** Fails fast, before a turn takes its conversation, when no enabled channel serves the model at all. */
    public void requireCandidates(String model) {
        boolean served = catalog.all().stream().anyMatch(c -> c.enabled() && c.serves(model));
        if (!served) {
            throw unavailable(model, List.of(), List.of(), 0, Long.MAX_VALUE);
        }
    }

    /** The enabled channels serving the model: by priority, then weighted random order within each. */
    List<Channel> candidates(String model) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Map<Channel, Double> draw = new HashMap<>();
        List<Channel> serving = new ArrayList<>();
        for (Channel channel : catalog.all()) {
            if (channel.enabled() && channel.serves(model)) {
                serving.add(channel);
                // Efraimidis-Spirakis: sorting by -ln(U)/w draws without replacement with P proportional to w.
                draw.put(channel, -Math.log(1 - random.nextDouble()) / Math.max(1, channel.weight()));
            }
        }
        serving.sort(Comparator.comparingInt(Channel::priority).reversed().thenComparing(draw::get));
        return serving;
    }

    /** The channel's usable keys, starting at its rotation cursor; one null key for keyless upstreams. */
    private List<String> keyOrder(Channel channel) {
        List<String> keys = channel.apiKeys();
        if (keys.isEmpty()) {
            return java.util.Collections.singletonList(null);
        }
        int start = Math.floorMod(keyCursors.computeIfAbsent(channel.id(), id -> new AtomicInteger()).getAndIncrement(), keys.size());
        List<String> order = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get((start + i) % keys.size());
            if (health.keyUsable(channel, key)) {
                order.add(key);
            }
        }
        return order;
    }

    private void release(Channel channel, boolean probing) {
        if (probing) {
            health.released(channel);
        }
    }

    private static Upstream upstream(Channel channel, String key) {
        return channel.upstream(key);
    }

    private static Map<String, Object> entry(Channel channel, String reason) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("channel", channel.name());
        entry.put("error", reason);
        return entry;
    }

    private static ApiException modelError(Channel channel, UpstreamError error, boolean afterContent) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("channel", channel.name());
        details.put("status", error.status());
        details.put("message", error.describe());
        String message = afterContent
                ? "The model's answer broke off: " + error.describe()
                : "The model refused the request: " + error.describe();
        return new ApiException(ErrorCode.MODEL_ERROR, message, details);
    }

    private ApiException unavailable(String model, List<Channel> candidates, List<Map<String, Object>> tried,
                                     int attempts, long earliestRecovery) {
        if (candidates.isEmpty()) {
            return new ApiException(ErrorCode.CHANNEL_UNAVAILABLE, "No enabled channel serves model '" + model
                    + "'; add one with POST /api/channels (models: [\"" + model + "\"] or [\"*\"])",
                    Map.of("model", model, "tried", List.of()));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", model);
        details.put("attempts", attempts);
        details.put("tried", tried);
        Integer retryAfter = null;
        if (attempts == 0 && earliestRecovery != Long.MAX_VALUE) {
            retryAfter = (int) Math.max(1, Duration.ofMillis(earliestRecovery - clock.millis()).toSeconds());
        }
        String message = attempts == 0
                ? "Every channel serving '" + model + "' is cooling down or has no usable key"
                : "All " + attempts + " attempts for '" + model + "' failed; see details.tried";
        return new ApiException(ErrorCode.CHANNEL_UNAVAILABLE, message, details, retryAfter);
    }
}
