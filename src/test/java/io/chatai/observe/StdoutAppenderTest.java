package io.chatai.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StdoutAppenderTest {
    /** Counts the calls that would each be a system call on standard output, and whether it was closed. */
    private static final class CountingStream extends ByteArrayOutputStream {
        final AtomicInteger writes = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            writes.incrementAndGet();
            super.write(b);
        }

        @Override
        public void close() {
            closed.set(true);
        }

        synchronized String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    private final LoggerContext context = new LoggerContext();
    private final CountingStream out = new CountingStream();

    private StdoutAppender stdout() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        StdoutAppender appender = new StdoutAppender(out);
        appender.setContext(context);
        appender.setName("STDOUT");
        appender.setEncoder(encoder);
        return appender;
    }

    private LoggingEvent event(String message) {
        return new LoggingEvent("test", context.getLogger("test"), Level.INFO, message, null, null);
    }

    @Test
    void should_write_a_batch_of_lines_in_one_call_when_fed_by_the_batching_appender() {
        StdoutAppender stdout = stdout();
        stdout.start();
        BatchingAppender batching = new BatchingAppender();
        batching.setContext(context);
        batching.setName("ASYNC");
        batching.setPeriodMillis(200); // long enough that the 100 lines below land in one or two batches
        batching.addAppender(stdout);
        batching.start();

        for (int i = 0; i < 100; i++) {
            batching.doAppend(event("line " + i));
        }
        batching.stop();

        assertThat(out.text().lines()).hasSize(100).startsWith("line 0").endsWith("line 99");
        assertThat(out.writes.get()).as("writes for 100 lines").isLessThanOrEqualTo(3); // one per batch, not one per line
    }

    @Test
    void should_flush_every_line_when_used_on_its_own() {
        StdoutAppender stdout = stdout();
        stdout.start();

        stdout.doAppend(event("alone"));

        assertThat(out.text()).isEqualTo("alone\n"); // logback's immediateFlush, unless a BatchingAppender turns it off
        stdout.stop();
    }

    @Test
    void should_flush_but_never_close_standard_output_when_stopped() {
        StdoutAppender stdout = stdout();
        stdout.setImmediateFlush(false);
        stdout.start();
        stdout.doAppend(event("last words"));
        assertThat(out.text()).isEmpty();

        stdout.stop();

        assertThat(out.text()).isEqualTo("last words\n");
        assertThat(out.closed).isFalse();
    }
}
