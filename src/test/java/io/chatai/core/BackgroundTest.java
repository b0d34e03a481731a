package io.chatai.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Background work outlives a failing tick or step, an Error included, and says so once per kind. */
class BackgroundTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(Background.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Background background = new Background();

    @BeforeEach
    void listen() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stop() {
        background.close();
        logger.detachAppender(logged);
    }

    @Test
    void should_run_the_next_tick_after_one_threw_a_runtime_exception_or_an_error() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch recovered = new CountDownLatch(3);
        background.every("flaky", Duration.ofMillis(5), () -> {
            switch (runs.incrementAndGet()) {
                case 1 -> throw new IllegalStateException("first tick fails");
                case 2 -> throw new OutOfMemoryError("Java heap space (simulated)");
                default -> recovered.countDown();
            }
        });

        assertThat(recovered.await(5, TimeUnit.SECONDS)).as("ticks after the failures").isTrue();
        assertThat(runs.get()).isGreaterThanOrEqualTo(5);
        List<String> errors = messages(Level.ERROR);
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).contains("flaky", "IllegalStateException");
        assertThat(errors.get(1)).contains("flaky", "OutOfMemoryError");
        assertThat(messages(Level.INFO)).singleElement().asString().contains("flaky", "works again after 2 failure(s)");
    }

    @Test
    void should_log_a_kind_of_failure_once_however_often_it_repeats() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        background.every("database down", Duration.ofMillis(1), () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("connection refused");
        });

        waitUntil(() -> runs.get() >= 50);
        assertThat(messages(Level.ERROR)).hasSize(1);
    }

    @Test
    void should_keep_a_dedicated_loop_running_after_a_step_threw() throws InterruptedException {
        AtomicInteger steps = new AtomicInteger();
        CountDownLatch recovered = new CountDownLatch(2);
        Background.Loop loop = background.loop("flaky-loop", Duration.ofMillis(1), () -> {
            switch (steps.incrementAndGet()) {
                case 1 -> throw new IllegalStateException("first step fails");
                case 2 -> throw new StackOverflowError("simulated");
                default -> {
                    recovered.countDown();
                    Thread.sleep(1);
                }
            }
        });

        assertThat(recovered.await(5, TimeUnit.SECONDS)).isTrue();
        loop.stop();
        int stoppedAt = steps.get();
        Thread.sleep(50);
        assertThat(steps.get()).as("no step after stop()").isEqualTo(stoppedAt);
        assertThat(messages(Level.ERROR)).hasSize(2);
    }

    @Test
    void should_wait_for_a_running_tick_when_cancelled_and_run_no_more() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        Background.Periodic task = background.every("slow", Duration.ofMillis(1), () -> {
            started.countDown();
            Thread.sleep(200);
            finished.incrementAndGet();
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        task.cancel();

        assertThat(finished.get()).as("cancel() returned after the tick in progress").isEqualTo(1);
        Thread.sleep(50);
        assertThat(finished.get()).isEqualTo(1);
    }

    @Test
    void should_keep_time_for_other_tasks_while_one_tick_blocks() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        background.every("blocked", Duration.ofMillis(1), release::await);
        AtomicInteger beats = new AtomicInteger();
        background.every("heartbeat", Duration.ofMillis(5), beats::incrementAndGet);

        waitUntil(() -> beats.get() >= 20);
        release.countDown();
    }

    private List<String> messages(Level level) {
        return logged.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
