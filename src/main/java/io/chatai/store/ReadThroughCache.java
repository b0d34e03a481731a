package io.chatai.store;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Values read from the database, kept right by this process's own writers: every write to a key updates or
 * drops its value once the write has committed ({@link #afterWrite}, {@link #forget}, {@link #forgetAll}),
 * and a read never installs a value when a write to its key finished meanwhile, so a value read before a
 * write cannot outlive it. Valid only where this process is the database's only writer (SQLite); {@link
 * #disabled()} reads through every time. Thread-safe.
 *
 * <p>Why the stamps: a read that missed the cache loads from the database and installs what it loaded. A
 * write that commits between the load and the install would otherwise find no value to update and leave the
 * old one to be installed after it. Each write bumps its key's stamp inside the cache's atomic {@code compute}
 * for that key, and the install, in its own {@code compute}, goes ahead only when the stamp is the one it saw
 * before loading: either the install ran first (and the write then updates what it installed) or it sees the
 * bump and installs nothing.
 */
public final class ReadThroughCache<K, V> {
    private static final int STRIPES = 1024; // stamps shared by keys of one stripe: a neighbour's write costs a miss, never a wrong value

    private final Cache<K, V> cache;
    private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);
    private final AtomicLong epoch = new AtomicLong(); // bumped by forgetAll

    private ReadThroughCache(Cache<K, V> cache) {
        this.cache = cache;
    }

    /** A cache over {@code cache} (which sets the bound: size or weight); for a database only this process writes. */
    public static <K, V> ReadThroughCache<K, V> over(Cache<K, V> cache) {
        return new ReadThroughCache<>(cache);
    }

    /** Reads through on every call and keeps nothing: for a database other processes write too (PostgreSQL). */
    public static <K, V> ReadThroughCache<K, V> disabled() {
        return new ReadThroughCache<>(null);
    }

    /**
     * The cached value when {@code usable} accepts it; otherwise the one {@code load} reads, kept if {@code
     * keep} accepts it and no write to the key finished while it was read.
     */
    public V get(K key, Predicate<V> usable, Supplier<V> load, Predicate<V> keep) {
        if (cache == null) {
            return load.get();
        }
        V cached = cache.getIfPresent(key);
        if (cached != null && usable.test(cached)) {
            return cached;
        }
        int stripe = stripe(key);
        long stamp = stamps.get(stripe);
        long seenEpoch = epoch.get();
        V loaded = load.get();
        if (loaded != null && keep.test(loaded)) {
            cache.asMap().compute(key, (k, current) ->
                    stamps.get(stripe) == stamp && epoch.get() == seenEpoch ? loaded : current);
        }
        return loaded;
    }

    /**
     * After a write to {@code key} has committed: the value becomes what {@code change} makes of it (null drops
     * it); a key without a value stays without.
     */
    public void afterWrite(K key, UnaryOperator<V> change) {
        if (cache == null) {
            return;
        }
        int stripe = stripe(key);
        cache.asMap().compute(key, (k, current) -> {
            stamps.incrementAndGet(stripe);
            return current == null ? null : change.apply(current);
        });
    }

    /** After a write to {@code key} has committed (or may have): drops its value. */
    public void forget(K key) {
        afterWrite(key, current -> null);
    }

    /** After a write whose keys are not known one by one has committed (or may have): drops every value. */
    public void forgetAll() {
        if (cache == null) {
            return;
        }
        epoch.incrementAndGet(); // first: a read that loaded before this write must not install after the clear
        cache.invalidateAll();
    }

    private static int stripe(Object key) {
        return Math.floorMod(key.hashCode(), STRIPES);
    }
}
