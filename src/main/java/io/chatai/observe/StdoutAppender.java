package io.chatai.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes log lines to the process's standard output through a buffer of its own, so that a batch of lines
 * from {@link BatchingAppender} leaves in one {@code write} call instead of one per line. Why not logback's
 * {@code ConsoleAppender}: it writes through {@code System.out}, a {@code PrintStream} that flushes on every
 * write, so each access-log line cost a system call on the logging thread (~2 % of a relayed request's CPU
 * in the profile). With {@code immediateFlush} (logback's default) every line is still flushed as it is
 * written; {@link BatchingAppender} turns that off for the appenders it feeds and flushes after each batch.
 * Closing it flushes and never closes the process's standard output. Thread-safe as logback's appenders are.
 */
public final class StdoutAppender extends OutputStreamAppender<ILoggingEvent> {
    /** A batch larger than this is written in several calls; the buffer bounds the memory, not the batch. */
    private static final int BUFFER_BYTES = 64 * 1024;

    private final OutputStream target;

    /** The process's standard output (logback's configuration creates it so). */
    public StdoutAppender() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    /** Another stream in place of standard output (tests). */
    StdoutAppender(OutputStream target) {
        this.target = target;
    }

    @Override
    public void start() {
        setOutputStream(new BufferedOutputStream(target, BUFFER_BYTES));
        super.start();
    }

    /** Writes out what the buffer holds. */
    public void flush() {
        streamWriteLock.lock();
        try {
            if (getOutputStream() != null) {
                getOutputStream().flush();
            }
        } catch (IOException e) {
            addError("Could not write log lines to standard output", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    @Override
    protected void closeOutputStream() {
        flush(); // standard output outlives the appender: logging restarted (JSON format) or a late line at shutdown
    }
}
