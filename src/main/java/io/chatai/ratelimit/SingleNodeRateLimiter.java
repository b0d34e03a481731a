package io.chatai.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bucket4j buckets in this process's memory: exact (lock-free compare-and-set) but not shared with
 * other instances. A bucket that has refilled completely is indistinguishable from a new one, so such
 * buckets are swept now and then: memory follows the callers active in the last minute, not all callers
 * ever seen. Thread-safe.
 */
public final class SingleNodeRateLimiter implements RateLimiter {
    private static final int SWEEP_EVERY = 4096;

    private record Entry(Bucket bucket, int capacity) { }

    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();
    private final AtomicLong takes = new AtomicLong();

    @Override
    public Decision take(String name, int perMinute) {
        ConsumptionProbe[] probe = new ConsumptionProbe[1];
        // The take runs inside compute, so the sweep below can never drop a bucket between lookup and take.
        buckets.compute(name + "@" + perMinute, (key, entry) -> {
            Entry live = entry != null ? entry : new Entry(Bucket.builder()
                    .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                    .build(), perMinute);
            probe[0] = live.bucket().tryConsumeAndReturnRemaining(1);
            return live;
        });
        if (takes.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep();
        }
        return new Decision(probe[0].isConsumed(), perMinute, probe[0].getRemainingTokens(),
                probe[0].isConsumed() ? 0 : probe[0].getNanosToWaitForRefill());
    }

    /** Drops buckets that refilled completely: a new bucket would be in exactly that state. */
    void sweep() {
        for (String key : buckets.keySet()) {
            buckets.computeIfPresent(key, (k, entry) -> entry.bucket().getAvailableTokens() >= entry.capacity() ? null : entry);
        }
    }

    /** How many buckets are held (for tests of the sweep). */
    int bucketCount() {
        return buckets.size();
    }
}
