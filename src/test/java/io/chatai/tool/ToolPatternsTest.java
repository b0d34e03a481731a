package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.ApiException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolPatternsTest {

    @Test
    void should_match_all_tools_of_a_server_or_one_tool_by_its_exact_name() {
        ToolPatterns patterns = ToolPatterns.parse("tools", List.of("weather.*", "search.web_search"));

        assertThat(patterns.matches("weather", "forecast")).isTrue();
        assertThat(patterns.matches("weather", "alerts")).isTrue();
        assertThat(patterns.matches("search", "web_search")).isTrue();
        assertThat(patterns.matches("search", "web_search_v2")).isFalse();
        assertThat(patterns.matches("search", "image_search")).isFalse();
        assertThat(patterns.matches("weather2", "forecast")).as("a server's prefix is not the server").isFalse();
        assertThat(patterns.matches("weathe", "r")).isFalse();
        assertThat(patterns.written()).containsExactly("weather.*", "search.web_search");
    }

    @Test
    void should_match_nothing_when_empty() {
        assertThat(ToolPatterns.NONE.matches("weather", "forecast")).isFalse();
        assertThat(ToolPatterns.parse("tools", List.of()).isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "weather", "weather.", ".forecast", "Weather.*", "weather.fore cast", "weather.a.b", "*.forecast",
            "weather.fore*", "my__tools.*"})
    void should_refuse_what_is_neither_a_name_nor_a_servers_tools(String pattern) {
        assertThatThrownBy(() -> ToolPatterns.parse("tools", List.of("weather.*", pattern)))
                .isInstanceOf(ApiException.class)
                .hasMessage("tools holds '" + pattern + "', which is neither a tool's name (<server>.<tool>, as GET /api/tools lists them) "
                        + "nor all tools of a server (<server>.*)");
    }

    @Test
    void should_bound_the_number_of_patterns() {
        assertThatThrownBy(() -> ToolPatterns.parse("tools", Collections.nCopies(257, "weather.*")))
                .hasMessage("tools may hold at most 256 tool patterns, got 257");
    }
}
