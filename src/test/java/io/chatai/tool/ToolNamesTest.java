package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.ApiException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"weather", "a", "my-tools", "my_tools", "x2", "a-_b", "abcdefghijklmnopqrstuvwxyz012345"})
    void should_accept_server_names_of_lower_case_letters_digits_dashes_and_single_underscores(String name) {
        assertThat(ToolNames.validServer(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Weather", "1password", "-x", "_x", "my tools", "my.tools", "my__tools", "tools_", "über",
            "abcdefghijklmnopqrstuvwxyz0123456"})
    void should_refuse_server_names_a_model_name_could_not_map_back(String name) {
        assertThatThrownBy(() -> ToolNames.validServer(name)).isInstanceOf(ApiException.class).hasMessageStartingWith("name must");
    }

    @Test
    void should_map_model_names_back_to_exactly_one_server_and_tool() {
        assertThat(ToolNames.modelName("weather", "forecast")).isEqualTo("weather__forecast");
        assertThat(ToolNames.fromModelName("weather__forecast")).contains(new ToolNames.Name("weather", "forecast"));
        // The tool's own double underscores stay the tool's: a server name never holds one.
        assertThat(ToolNames.fromModelName("my_db__run__query")).contains(new ToolNames.Name("my_db", "run__query"));
        assertThat(ToolNames.fromModelName("a___b")).contains(new ToolNames.Name("a", "_b"));
        assertThat(ToolNames.fromModelName("weather")).isEmpty();
        assertThat(ToolNames.fromModelName("__forecast")).isEmpty();
        assertThat(ToolNames.fromModelName("Weather__forecast")).isEmpty();
        assertThat(ToolNames.fromModelName(null)).isEmpty();
    }

    @Test
    void should_read_api_names() {
        assertThat(ToolNames.fromPublicName("weather.forecast")).contains(new ToolNames.Name("weather", "forecast"));
        assertThat(ToolNames.fromPublicName("weather.fore.cast")).isEmpty();
        assertThat(ToolNames.fromPublicName("weather")).isEmpty();
        assertThat(new ToolNames.Name("weather", "forecast").publicName()).isEqualTo("weather.forecast");
    }

    @Test
    void should_say_why_a_tool_cannot_be_offered() {
        assertThat(ToolNames.toolProblem("weather", "forecast_v2-beta")).isNull();
        assertThat(ToolNames.toolProblem("weather", "get.forecast")).contains("characters other than");
        assertThat(ToolNames.toolProblem("weather", "with space")).contains("characters other than");
        assertThat(ToolNames.toolProblem("weather", "")).isEqualTo("it has no name");
        assertThat(ToolNames.toolProblem("weather", "t".repeat(55))).isNull(); // 7 + 2 + 55 = 64
        assertThat(ToolNames.toolProblem("weather", "t".repeat(56))).contains("longer than the 64 characters");
        assertThat(Optional.ofNullable(ToolNames.toolProblem("weather", null))).contains("it has no name");
    }
}
