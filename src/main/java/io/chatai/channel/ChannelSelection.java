package io.chatai.channel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The order in which one request tries channels and keys: enabled channels serving the model, highest
 * {@code priority} first, weighted random by {@code weight} within a priority; each channel's usable keys
 * starting at its rotation cursor. Cooling is the router's business, so a cooling channel is still listed.
 * Thread-safe.
 */
final class ChannelSelection {
    private final ChannelCatalog catalog;
    private final ChannelHealth health;
    private final Map<String, AtomicInteger> keyCursors = new ConcurrentHashMap<>();

    ChannelSelection(ChannelCatalog catalog, ChannelHealth health) {
        this.catalog = catalog;
        this.health = health;
    }

    boolean anyServes(String model) {
        return anyServes(model, c -> true);
    }

    boolean anyServes(String model, java.util.function.Predicate<Channel> also) {
        return serving(model, also).findAny().isPresent();
    }

    java.util.Set<String> typesServing(String model, java.util.function.Predicate<Channel> also) {
        return serving(model, also).map(Channel::type).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /** The enabled channels serving the model that also pass {@code also}, in the catalog's order. */
    private java.util.stream.Stream<Channel> serving(String model, java.util.function.Predicate<Channel> also) {
        return catalog.all().stream().filter(c -> c.enabled() && c.serves(model) && also.test(c));
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

    /**
     * The channel's usable keys (not refused, not cooling), starting at its rotation cursor, each once;
     * one null key for an upstream that needs none.
     */
    List<String> keys(Channel channel) {
        List<String> keys = channel.apiKeys();
        if (keys.isEmpty()) {
            return Collections.singletonList(null);
        }
        AtomicInteger cursor = keyCursors.computeIfAbsent(channel.id(), id -> new AtomicInteger());
        int start = Math.floorMod(cursor.getAndIncrement(), keys.size());
        List<String> order = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get((start + i) % keys.size());
            if (health.keyUsable(channel, key)) {
                order.add(key);
            }
        }
        return order;
    }
}
