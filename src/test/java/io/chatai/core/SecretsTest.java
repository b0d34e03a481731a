package io.chatai.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {
    static final String KEY = "sk-proj-Zq8vNw3Lx7Tb2Hj5Kp9Rm4";

    @Test
    void should_redact_every_occurrence_of_every_secret() {
        String text = "refused " + KEY + " for org org-Secret-77, again " + KEY;

        assertThat(Secrets.redact(text, List.of("org-Secret-77", KEY)))
                .isEqualTo("refused [redacted] for org [redacted], again [redacted]");
    }

    @Test
    void should_redact_a_key_an_upstream_quoted_cut_short_or_only_in_part() {
        assertThat(Secrets.redact("Incorrect API key provided: sk-proj-Zq8vNw3L****Rm4.", List.of(KEY)))
                .isEqualTo("Incorrect API key provided: [redacted]****Rm4.");
        assertThat(Secrets.redact("key ends ...Kp9Rm4", List.of(KEY))).isEqualTo("key ends ...[redacted]");
    }

    @Test
    void should_leave_text_without_secrets_and_secrets_too_short_to_hunt_alone() {
        assertThat(Secrets.redact("nothing to hide", List.of(KEY, "abc"))).isEqualTo("nothing to hide");
        assertThat(Secrets.redact("abc abc", List.of("abc"))).isEqualTo("abc abc");
        assertThat(Secrets.redact(null, List.of(KEY))).isNull();
    }

    @Test
    void should_redact_a_long_text_in_linear_time() {
        String text = "sk-proj-".repeat(500_000) + KEY;

        long started = System.nanoTime();
        String redacted = Secrets.redact(text, List.of(KEY));

        assertThat(redacted).doesNotContain("Zq8v").endsWith("[redacted]");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    }
}
