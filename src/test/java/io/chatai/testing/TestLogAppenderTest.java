package io.chatai.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

/** The memory bound of {@link TestLogAppender}: oldest lines go first, and a reader learns how many went. */
class TestLogAppenderTest {
    private final LoggerContext context = new LoggerContext();

    private TestLogAppender appender(int maxChars, int maxLineChars) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        TestLogAppender appender = new TestLogAppender();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setMaxChars(maxChars);
        appender.setMaxLineChars(maxLineChars);
        appender.start();
        return appender;
    }

    private void log(TestLogAppender appender, String message) {
        appender.doAppend(new LoggingEvent("x", context.getLogger("test"), Level.INFO, message, null, null));
    }

    @Test
    void should_return_the_lines_since_a_mark() {
        TestLogAppender appender = appender(1_000, 100);
        log(appender, "before");
        long mark = appender.mark();
        log(appender, "after 1");
        log(appender, "after 2");

        TestLogAppender.Lines lines = appender.since(mark);

        assertThat(lines.kept()).containsExactly("after 1" + System.lineSeparator(), "after 2" + System.lineSeparator());
        assertThat(lines.dropped()).isZero();
    }

    @Test
    void should_drop_the_oldest_lines_past_its_bound_and_count_them() {
        TestLogAppender appender = appender(100, 100);
        long mark = appender.mark();
        for (int i = 0; i < 100; i++) {
            log(appender, "line %02d".formatted(i)); // 8 characters with the line break
        }

        TestLogAppender.Lines lines = appender.since(mark);

        assertThat(lines.kept()).hasSize(12).last().isEqualTo("line 99" + System.lineSeparator());
        assertThat(lines.dropped()).isEqualTo(88);
        assertThat(String.join("", lines.kept()).length()).isLessThanOrEqualTo(100);
    }

    @Test
    void should_cut_a_line_longer_than_its_limit() {
        TestLogAppender appender = appender(10_000, 20);
        long mark = appender.mark();
        log(appender, "x".repeat(1_000));

        String line = appender.since(mark).kept().getFirst();

        assertThat(line).startsWith("x".repeat(20) + " [... ").contains("more characters]").hasSizeLessThan(60);
    }
}
