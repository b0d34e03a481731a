package io.chatai.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlineTimerTest {

    @Test
    void should_fire_an_action_once_its_delay_has_passed() throws InterruptedException {
        try (DeadlineTimer timer = new DeadlineTimer("test-deadlines")) {
            CountDownLatch fired = new CountDownLatch(1);
            long start = System.nanoTime();
            timer.schedule(Duration.ofMillis(50), fired::countDown);

            assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        }
    }

    @Test
    void should_never_fire_a_cancelled_action() throws InterruptedException {
        try (DeadlineTimer timer = new DeadlineTimer("test-deadlines")) {
            AtomicInteger cancelledRuns = new AtomicInteger();
            CountDownLatch later = new CountDownLatch(1);
            timer.schedule(Duration.ofMillis(30), cancelledRuns::incrementAndGet).cancel();
            timer.schedule(Duration.ofMillis(100), later::countDown);

            assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(cancelledRuns.get()).isZero();
        }
    }

    @Test
    void should_fire_an_earlier_deadline_set_while_the_thread_sleeps_towards_a_later_one() throws InterruptedException {
        try (DeadlineTimer timer = new DeadlineTimer("test-deadlines")) {
            timer.schedule(Duration.ofMinutes(10), () -> { });
            Thread.sleep(50); // the timer thread now sleeps towards the 10-minute deadline
            CountDownLatch fired = new CountDownLatch(1);
            timer.schedule(Duration.ofMillis(20), fired::countDown);

            assertThat(fired.await(2, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void should_fire_every_deadline_of_many_set_from_many_threads() throws InterruptedException {
        try (DeadlineTimer timer = new DeadlineTimer("test-deadlines")) {
            int count = 2000;
            CountDownLatch fired = new CountDownLatch(count);
            List<Thread> threads = new ArrayList<>();
            AtomicInteger cancelledRuns = new AtomicInteger();
            for (int t = 0; t < 8; t++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < count / 8; i++) {
                        timer.schedule(Duration.ofMillis(i % 50), fired::countDown);
                        timer.schedule(Duration.ofMillis(1000 + i % 50), cancelledRuns::incrementAndGet).cancel();
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }

            assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
            CountDownLatch afterTheCancelledOnes = new CountDownLatch(1);
            timer.schedule(Duration.ofMillis(1100), afterTheCancelledOnes::countDown);
            assertThat(afterTheCancelledOnes.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(cancelledRuns.get()).isZero();
        }
    }

    @Test
    void should_keep_firing_after_an_action_fails() throws InterruptedException {
        try (DeadlineTimer timer = new DeadlineTimer("test-deadlines")) {
            CountDownLatch fired = new CountDownLatch(1);
            timer.schedule(Duration.ofMillis(5), () -> {
                throw new IllegalStateException("boom");
            });
            timer.schedule(Duration.ofMillis(30), fired::countDown);

            assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
