package io.chatai.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link TestLogExtension} prints, checked by running small example classes through JUnit itself:
 * nothing for a passing or skipped test; for a failed one its whole log (its background threads and what
 * it printed included, its neighbours' lines not) and its stack trace; the class's log when the class's
 * own set-up fails.
 */
class TestLogExtensionTest {
    private static final Logger LOG = LoggerFactory.getLogger(TestLogExtensionTest.class);
    private static volatile boolean runningExamples;

    static boolean runningExamples() {
        return runningExamples;
    }

    @Test
    void should_print_nothing_when_every_test_passes_not_even_what_they_print() {
        String printed = run(Passing.class);

        assertThat(printed).isEmpty();
    }

    @Test
    void should_print_nothing_for_a_test_skipped_by_an_assumption() {
        String printed = run(Skipped.class);

        assertThat(printed).isEmpty();
    }

    @Test
    void should_print_a_failed_tests_log_from_every_thread_and_nothing_of_the_tests_before_it() {
        String printed = run(OnePassesOneFails.class);

        assertThat(printed)
                .contains("---- FAILED OnePassesOneFails.fails(): its log since it started")
                .contains("line from @BeforeEach", "line from the failing test", "line from a background thread")
                .contains("stdout - line printed by the failing test", "stderr - line printed on stderr by the failing test")
                .contains("---- OnePassesOneFails.fails() failed with:", "java.lang.AssertionError: failed on purpose",
                        "at io.chatai.testing.TestLogExtensionTest$OnePassesOneFails.fails(", "frames of the test runner")
                .contains("---- end of the log of OnePassesOneFails.fails()")
                .doesNotContain("line from the passing test")
                .doesNotContain("at org.junit.platform.");
        assertThat(printed.indexOf("line from @BeforeEach")).isLessThan(printed.indexOf("line from the failing test"));
    }

    @Test
    void should_print_the_classs_log_when_its_set_up_fails() {
        String printed = run(SetUpFails.class);

        assertThat(printed).contains("---- FAILED SetUpFails: its log since the class started").contains("line from @BeforeAll");
    }

    /** Runs the class through the Jupiter engine, with the extension detected as the build detects it; returns what it printed. */
    private static String run(Class<?> examples) {
        assertThat(TestLogAppender.find(TestLogExtension.APPENDER)).as("logback-test.xml in use").isPresent();
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        runningExamples = true;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            EngineTestKit.engine("junit-jupiter")
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                    .configurationParameter("junit.jupiter.extensions.autodetection.include", "io.chatai.testing.*")
                    .selectors(selectClass(examples))
                    .execute();
        } finally {
            System.setOut(console);
            runningExamples = false;
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @EnabledIf("io.chatai.testing.TestLogExtensionTest#runningExamples")
    static class Passing {
        @Test
        void passes() {
            LOG.info("line from a passing test");
            System.out.println("line printed by a passing test");
            System.err.println("line printed on stderr by a passing test");
        }
    }

    @EnabledIf("io.chatai.testing.TestLogExtensionTest#runningExamples")
    static class Skipped {
        @Test
        void skips() {
            LOG.info("line from a skipped test");
            Assumptions.assumeTrue(false, "skipped on purpose");
        }
    }

    @EnabledIf("io.chatai.testing.TestLogExtensionTest#runningExamples")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OnePassesOneFails {
        @BeforeEach
        void setUp() {
            LOG.info("line from @BeforeEach");
        }

        @Test
        @Order(1)
        void passes() {
            LOG.info("line from the passing test");
        }

        @Test
        @Order(2)
        void fails() throws InterruptedException {
            LOG.info("line from the failing test");
            System.out.println("line printed by the failing test");
            System.err.println("line printed on stderr by the failing test");
            Thread background = Thread.ofPlatform().start(() -> LOG.warn("line from a background thread"));
            background.join();
            throw new AssertionError("failed on purpose");
        }
    }

    @EnabledIf("io.chatai.testing.TestLogExtensionTest#runningExamples")
    static class SetUpFails {
        @BeforeAll
        static void setUp() {
            LOG.info("line from @BeforeAll");
            throw new IllegalStateException("set-up failed on purpose");
        }

        @Test
        void neverRuns() {
            LOG.info("line from a test that never runs");
        }
    }
}
