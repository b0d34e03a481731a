package io.chatai.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.Background;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Keep-alives go on after a tick failed, as they must for departed clients to be noticed. */
class KeepAlivesTest {

    @Test
    void should_send_keep_alives_again_after_a_tick_threw_an_error_and_a_runtime_exception() throws InterruptedException {
        AtomicInteger starts = new AtomicInteger();
        // The write cannot be started twice (as when an OutOfMemoryError hit the timer), then it can.
        KeepAlives keepAlives = new KeepAlives(Duration.ofMillis(40), write -> {
            switch (starts.incrementAndGet()) {
                case 1 -> throw new OutOfMemoryError("unable to start a thread (simulated)");
                case 2 -> throw new IllegalStateException("simulated");
                default -> Thread.ofVirtual().start(write);
            }
        });
        SilentStream stream = new SilentStream();
        keepAlives.watch(stream);
        try (Background background = new Background()) {
            keepAlives.start(background);

            assertThat(stream.sent.await(5, TimeUnit.SECONDS)).as("a keep-alive after two failed ticks").isTrue();
        }
        assertThat(starts.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void should_send_a_keep_alive_within_a_quarter_interval_after_the_interval() throws InterruptedException {
        KeepAlives keepAlives = new KeepAlives(Duration.ofMillis(200));
        SilentStream stream = new SilentStream();
        try (Background background = new Background()) {
            keepAlives.start(background);
            long watched = System.nanoTime();
            stream.lastWrite = watched;
            keepAlives.watch(stream);

            assertThat(stream.sent.await(5, TimeUnit.SECONDS)).isTrue();
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(stream.sentAt - watched);
            // one interval of silence, plus at most one tick (a quarter interval) and scheduling slack
            assertThat(waitedMillis).isBetween(200L, 250L + 100L);
        }
    }

    /** A stream that never writes, claimed and released like {@link SseChannel}. */
    private static final class SilentStream implements KeepAlives.Watched {
        final CountDownLatch sent = new CountDownLatch(1);
        final AtomicBoolean claimed = new AtomicBoolean();
        volatile long lastWrite = 0;
        volatile long sentAt;

        @Override
        public long lastWriteNanos() {
            return lastWrite;
        }

        @Override
        public boolean claimKeepAlive() {
            return claimed.compareAndSet(false, true);
        }

        @Override
        public void releaseKeepAlive() {
            claimed.set(false);
        }

        @Override
        public void sendKeepAlive() {
            sentAt = System.nanoTime();
            sent.countDown();
            releaseKeepAlive();
        }
    }
}
