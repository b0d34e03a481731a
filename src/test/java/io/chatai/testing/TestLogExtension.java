package io.chatai.testing;

import io.chatai.observe.Logging;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;
import org.slf4j.LoggerFactory;

/**
 * Prints what was logged while a test ran, and only when it failed: everything the JVM logged (every
 * thread, the in-process server's included) from the test's start to its end, {@code @BeforeEach} and
 * {@code @AfterEach} included, then the failure's stack trace; for a failure of the class's own set-up or
 * tear-down, everything since the class started. A passing test prints nothing, nor does one skipped by an
 * assumption. While a class runs, {@code System.out} and {@code System.err} are lines of the same log
 * ({@link ConsoleToLog}). The log comes from the {@link TestLogAppender} named {@value #APPENDER} of
 * {@code logback-test.xml}; without it, this does nothing. Registered for every test class through
 * {@code META-INF/services} (see {@code junit-platform.properties}). Assumes tests of one JVM run one at a
 * time, as they do here: a test's window would otherwise hold its neighbours' lines.
 */
public final class TestLogExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    static final String APPENDER = "TEST_LOG";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestLogExtension.class);
    private static final String CLASS_MARK = "class-mark";
    private static final String TEST_MARK = "test-mark";
    private static final String CONSOLE = "console";
    private static final Pattern FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ more)");
    private static final Pattern RUNNER_FRAME = Pattern.compile("^\\s+at (app//)?org\\.junit\\.(platform|jupiter\\.engine)\\.");

    /** The console as it was before the class started: where failures are printed, and what is put back after. */
    private record Console(PrintStream out, PrintStream err) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Logging.routeJavaUtilLogging(); // JUnit's, OkHttp's and Helidon's java.util.logging records land in the test log too
        Optional<TestLogAppender> appender = appender();
        if (appender.isEmpty()) {
            return;
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(CLASS_MARK, appender.get().mark());
        if (!(System.out instanceof ConsoleToLog)) { // else a @Nested class inside one that already did
            Console console = new Console(System.out, System.err);
            store.put(CONSOLE, console);
            System.setOut(ConsoleToLog.to(LoggerFactory.getLogger("stdout"), console.out()));
            System.setErr(ConsoleToLog.to(LoggerFactory.getLogger("stderr"), console.err()));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        appender().ifPresent(log -> context.getStore(NAMESPACE).put(TEST_MARK, log.mark()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (failed(context)) {
            print(context, TEST_MARK, "since it started");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Set only when the class's own set-up or tear-down failed; a failed test has printed its own log.
        if (failed(context)) {
            print(context, CLASS_MARK, "since the class started");
        }
        Console console = context.getStore(NAMESPACE).remove(CONSOLE, Console.class);
        if (console != null) {
            System.setOut(console.out());
            System.setErr(console.err());
        }
    }

    /** Failed, rather than skipped by an assumption (which JUnit reports as skipped, and so do we). */
    private static boolean failed(ExtensionContext context) {
        return context.getExecutionException().filter(failure -> !(failure instanceof TestAbortedException)).isPresent();
    }

    private static Optional<TestLogAppender> appender() {
        return TestLogAppender.find(APPENDER);
    }

    private static void print(ExtensionContext context, String markKey, String window) {
        Long mark = context.getStore(NAMESPACE).get(markKey, Long.class);
        Optional<TestLogAppender> appender = appender();
        if (mark == null || appender.isEmpty()) {
            return;
        }
        TestLogAppender.Lines lines = appender.get().since(mark);
        String name = context.getRequiredTestClass().getSimpleName() + context.getTestMethod().map(method -> {
            String call = "." + method.getName() + "()";
            // A parameterized test's invocation is named by its arguments: "[2] anthropic".
            return context.getDisplayName().equals(method.getName() + "()") ? call : call + " " + context.getDisplayName();
        }).orElse("");
        StringBuilder out = new StringBuilder();
        out.append("---- FAILED ").append(name).append(": its log ").append(window).append(" (")
                .append(lines.kept().size()).append(lines.kept().size() == 1 ? " line) ----" : " lines) ----").append(System.lineSeparator());
        if (lines.dropped() > 0) {
            out.append("[").append(lines.dropped()).append(" earlier lines dropped: the test log keeps the most recent only]")
                    .append(System.lineSeparator());
        }
        lines.kept().forEach(out::append);
        context.getExecutionException().ifPresent(failure -> out.append("---- ").append(name).append(" failed with:")
                .append(System.lineSeparator()).append(withoutRunnerFrames(failure)));
        out.append("---- end of the log of ").append(name).append(" ----").append(System.lineSeparator());
        // One write, so the report keeps the block whole; stdout is what surefire and failsafe attach to the test.
        Console console = context.getStore(NAMESPACE).get(CONSOLE, Console.class);
        PrintStream stdout = console == null ? System.out : console.out();
        stdout.print(out);
        stdout.flush();
    }

    /** The stack trace, each section cut at its first frame of JUnit's engine: below it is only the test runner. */
    private static String withoutRunnerFrames(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        StringBuilder kept = new StringBuilder();
        int skipped = 0;
        for (String line : trace.toString().lines().toList()) {
            boolean frame = FRAME.matcher(line).find();
            if (frame && (skipped > 0 || RUNNER_FRAME.matcher(line).find())) {
                skipped++;
                continue;
            }
            skipped = noteSkipped(kept, skipped);
            kept.append(line).append(System.lineSeparator());
        }
        noteSkipped(kept, skipped);
        return kept.toString();
    }

    private static int noteSkipped(StringBuilder kept, int skipped) {
        if (skipped > 0) {
            kept.append("\t... ").append(skipped).append(" frames of the test runner").append(System.lineSeparator());
        }
        return 0;
    }
}
