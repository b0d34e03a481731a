package io.chatai.preset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 26, 9, 5, 7, 0, ZoneOffset.UTC);

    @Test
    void should_substitute_every_variable() {
        String rendered = PromptTemplate.render("{{userId}}|{{groupId}}|{{date}}|{{time}}|{{datetime}}", "u1", "g1", NOW);

        assertThat(rendered).isEqualTo("u1|g1|2026-11-26|09:05:07|2026-11-26 09:05:07");
    }

    @Test
    void should_leave_group_empty_in_a_private_chat() {
        assertThat(PromptTemplate.render("[{{groupId}}]", "u", null, NOW)).isEqualTo("[]");
    }

    @Test
    void should_never_evaluate_or_rescan_substituted_text() {
        String rendered = PromptTemplate.render("Hi {{userId}} ${7*7} #{1+1} {{unknown}} {{ date }}", "{{date}}", null, NOW);

        assertThat(rendered).isEqualTo("Hi {{date}} ${7*7} #{1+1} {{unknown}} {{ date }}");
    }

    @Test
    void should_handle_unclosed_and_adjacent_braces() {
        assertThat(PromptTemplate.render("{{{{userId}}}} {{userId", "u", null, NOW)).isEqualTo("{{u}} {{userId");
        assertThat(PromptTemplate.render("", "u", null, NOW)).isEmpty();
    }
}
