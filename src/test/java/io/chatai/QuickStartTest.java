package io.chatai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Holds the README's quick start and CI together: CI runs the very test command a new user is told to
 * run, so a green CI means that command passes (the build itself brings the browser test's npm packages).
 */
class QuickStartTest {

    @Test
    void should_run_in_ci_exactly_the_test_command_of_the_readme_quick_start() throws Exception {
        String testCommand = quickStartCommands().stream().filter(line -> line.contains(" verify")).findFirst().orElseThrow();
        List<String> ciLines = Files.readAllLines(Path.of(".ci/run")).stream().map(String::strip).toList();

        assertThat(ciLines).contains(testCommand);
        assertThat(ciLines).filteredOn(line -> line.contains("mvnw") && !line.startsWith("#")).containsExactly(testCommand);
    }

    /** The command lines of the first bash block under "## Quick start", without their comments. */
    private static List<String> quickStartCommands() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("\n## Quick start");
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        int end = readme.indexOf("```", start);
        assertThat(section).as("README's Quick start section").isNotNegative();
        return readme.substring(start, end).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }
}
