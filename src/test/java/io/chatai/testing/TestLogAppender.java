package io.chatai.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Keeps the most recent log lines of the test JVM in memory, formatted by its encoder and numbered in
 * arrival order, so {@link TestLogExtension} can print what a test logged once it failed. Memory is
 * bounded: past {@code maxChars} the oldest lines go first, and one line longer than
 * {@code maxLineChars} is cut. Thread-safe: the server's threads append while tests read.
 */
public final class TestLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private Encoder<ILoggingEvent> encoder;
    private int maxChars = 8 * 1024 * 1024;
    private int maxLineChars = 64 * 1024;
    /** The number of every line appended so far; the oldest kept line is {@code appended - lines.size()}. */
    private long appended;
    private long keptChars;

    /** What was logged after a {@link #mark()}: the lines still kept, and how many older ones the bound dropped. */
    public record Lines(List<String> kept, long dropped) {
    }

    /** The appender of this name on the root logger, when the test logback configuration is in use. */
    public static Optional<TestLogAppender> find(String name) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(name);
            if (appender instanceof TestLogAppender found) {
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public void setMaxChars(int maxChars) {
        this.maxChars = maxChars;
    }

    public void setMaxLineChars(int maxLineChars) {
        this.maxLineChars = maxLineChars;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("No encoder set for the appender named [" + name + "].");
            return;
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // Formatted now, on the logging thread: the event's arguments may change once the call returns.
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        if (line.length() > maxLineChars) {
            line = line.substring(0, maxLineChars) + " [... " + (line.length() - maxLineChars) + " more characters]" + System.lineSeparator();
        }
        synchronized (lines) {
            lines.addLast(line);
            keptChars += line.length();
            appended++;
            while (keptChars > maxChars && lines.size() > 1) {
                keptChars -= lines.removeFirst().length();
            }
        }
    }

    /** The number the next line will get: what {@link #since} reads from. */
    public long mark() {
        synchronized (lines) {
            return appended;
        }
    }

    /** Every line appended since the mark that is still kept. */
    public Lines since(long mark) {
        synchronized (lines) {
            long oldestKept = appended - lines.size();
            long skip = Math.max(0, mark - oldestKept);
            Iterator<String> iterator = lines.iterator();
            for (long i = 0; i < skip && iterator.hasNext(); i++) {
                iterator.next();
            }
            List<String> kept = new java.util.ArrayList<>();
            iterator.forEachRemaining(kept::add);
            return new Lines(kept, Math.max(0, oldestKept - mark));
        }
    }
}
