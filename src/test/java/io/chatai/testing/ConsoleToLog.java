package io.chatai.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import org.slf4j.Logger;

/**
 * A console stream whose every line becomes a log event, so what tests, the server and libraries print
 * on {@code System.out} or {@code System.err} lands in the test log like the rest (the generated admin
 * key, llama.cpp's "Extracted 'libjllama.so'"). A line longer than 64 K characters is split. Output
 * written while that same thread is logging (logback reporting a problem of its own) goes to the real
 * console instead, so logging never loops. Thread-safe.
 */
final class ConsoleToLog extends PrintStream {
    private static final int MAX_LINE_BYTES = 64 * 1024;

    private ConsoleToLog(Lines lines, Charset charset) {
        super(lines, true, charset);
    }

    /** A stream logging each line to the logger at INFO, falling back to {@code console}. */
    static PrintStream to(Logger logger, PrintStream console) {
        return new ConsoleToLog(new Lines(logger, console), console.charset());
    }

    /** Collects bytes up to each line break; one instance per console stream, shared by every thread. */
    private static final class Lines extends OutputStream {
        private final ThreadLocal<Boolean> logging = ThreadLocal.withInitial(() -> false);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final Logger logger;
        private final PrintStream console;

        Lines(Logger logger, PrintStream console) {
            this.logger = logger;
            this.console = console;
        }

        @Override
        public void write(int b) {
            if (logging.get()) {
                console.write(b);
                return;
            }
            String complete = null;
            synchronized (line) {
                if (b == '\n' || line.size() >= MAX_LINE_BYTES) {
                    complete = line.toString(console.charset());
                    line.reset();
                }
                if (b != '\n') {
                    line.write(b);
                }
            }
            if (complete != null) {
                log(complete.endsWith("\r") ? complete.substring(0, complete.length() - 1) : complete);
            }
        }

        private void log(String text) {
            logging.set(true);
            try {
                logger.info(text);
            } finally {
                logging.set(false);
            }
        }
    }
}
