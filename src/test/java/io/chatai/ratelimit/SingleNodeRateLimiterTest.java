package io.chatai.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleNodeRateLimiterTest {

    @Test
    void should_allow_exactly_the_capacity_under_concurrency() throws Exception {
        SingleNodeRateLimiter limiter = new SingleNodeRateLimiter();
        AtomicInteger allowed = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[200];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (limiter.take("k", 50).allowed()) {
                    allowed.incrementAndGet();
                }
            });
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(allowed.get()).isEqualTo(50);
    }

    @Test
    void should_report_remaining_tokens_and_the_wait_for_the_next() {
        SingleNodeRateLimiter limiter = new SingleNodeRateLimiter();
        assertThat(limiter.take("k", 2).remaining()).isEqualTo(1);
        assertThat(limiter.take("k", 2).remaining()).isZero();
        RateLimiter.Decision refused = limiter.take("k", 2);

        assertThat(refused.allowed()).isFalse();
        // two per minute refill one token every 30 s
        assertThat(refused.retryAfterNanos()).isBetween(29_000_000_000L, 30_000_000_000L);
    }

    @Test
    void should_sweep_only_buckets_that_refilled_completely() {
        SingleNodeRateLimiter limiter = new SingleNodeRateLimiter();
        limiter.take("busy", 1_000_000_000); // refills a token every 60 µs: full again almost at once
        limiter.take("drained", 1);
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        limiter.sweep();

        assertThat(limiter.bucketCount()).isEqualTo(1);
        assertThat(limiter.take("drained", 1).allowed()).isFalse(); // its state survived the sweep
    }
}
