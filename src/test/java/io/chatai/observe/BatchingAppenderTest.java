package io.chatai.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class BatchingAppenderTest {
    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> sink = new ListAppender<>();
    private final BatchingAppender appender = new BatchingAppender();

    private void start(int queueSize) {
        context.setMDCAdapter(new LogbackMDCAdapter());
        sink.setContext(context);
        sink.start();
        appender.setContext(context);
        appender.setName("test");
        appender.setQueueSize(queueSize);
        appender.addAppender(sink);
        appender.start();
    }

    private LoggingEvent event(String message) {
        return new LoggingEvent("test", context.getLogger("test"), Level.INFO, message, null, null);
    }

    private List<String> written() {
        synchronized (sink.list) {
            return sink.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static void awaitUpTo(int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %d s", seconds).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    @Test
    void should_hand_every_event_to_the_attached_appender_in_order_with_the_logging_threads_name() {
        start(100);
        Thread.ofPlatform().name("request-7").start(() -> {
            for (int i = 0; i < 50; i++) {
                appender.doAppend(event("line " + i));
            }
        });

        awaitUpTo(5, () -> written().size() == 50);
        assertThat(written()).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "line " + i).toList());
        assertThat(sink.list.getFirst().getThreadName()).isEqualTo("request-7");
        appender.stop();
    }

    @Test
    void should_wake_its_parked_worker_for_an_event_after_a_quiet_spell() throws InterruptedException {
        start(100);
        appender.doAppend(event("before"));
        awaitUpTo(5, () -> written().size() == 1);
        Thread.sleep(1500); // quiet for longer than a second: the worker parks until the next event

        appender.doAppend(event("after"));

        awaitUpTo(2, () -> written().size() == 2);
        appender.stop();
    }

    @Test
    void should_write_what_is_queued_when_stopped() {
        start(10_000);
        for (int i = 0; i < 5000; i++) {
            appender.doAppend(event("line " + i));
        }

        appender.stop();

        assertThat(written()).hasSize(5000);
    }

    @Test
    void should_drop_events_beyond_a_full_queue_instead_of_blocking() {
        start(1);
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            appender.doAppend(event("line " + i));
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        appender.stop();
        assertThat(written().size()).isLessThan(100_000);
    }
}
