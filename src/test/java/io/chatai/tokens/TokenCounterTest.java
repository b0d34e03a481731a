package io.chatai.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
    private final TokenCounter tokens = new TokenCounter();

    @Test
    void should_count_a_text_up_to_the_exact_limit_exactly() {
        assertThat(tokens.count("")).isZero();
        assertThat(tokens.count("Hello world")).isEqualTo(2);
    }

    @Test
    void should_estimate_a_huge_text_linearly_and_in_bounded_time() {
        // CJK is the slowest text for BPE measured here: about 5.5 µs a character, 25 s for this one counted exactly.
        Random random = new Random(7);
        StringBuilder block = new StringBuilder();
        while (block.length() < TokenCounter.EXACT_CHARS) {
            block.append((char) (0x4e00 + random.nextInt(20_000)));
        }
        String huge = block.toString().repeat(45);
        int perBlock = tokens.count(block.toString());

        // CPU time of this thread, not wall time: a loaded machine stretches the wall clock, never the work done.
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long started = threads.getCurrentThreadCpuTime();
        int estimate = tokens.count(huge);
        Duration took = Duration.ofNanos(threads.getCurrentThreadCpuTime() - started);

        assertThat(took).isLessThan(Duration.ofSeconds(4));
        assertThat(estimate).isEqualTo(45 * perBlock);
    }
}
