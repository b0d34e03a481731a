package io.chatai.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules for the panel's files that the Content-Security-Policy and the escaping rule rely on: no inline
 * script, handler or style in the page, and no script that turns strings into markup or code.
 */
class PanelFilesTest {
    private static final Path PANEL = Path.of("src/main/resources/panel");

    private static List<Path> files(String extension) throws IOException {
        try (Stream<Path> walk = Files.walk(PANEL)) {
            return walk.filter(p -> p.toString().endsWith(extension)).toList();
        }
    }

    @Test
    void should_keep_the_page_free_of_inline_script_and_style() throws IOException {
        for (Path html : files(".html")) {
            String text = Files.readString(html);
            assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE).matcher(text).find())
                    .as("%s has an inline <script>", html).isFalse();
            assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(text).find())
                    .as("%s has an inline event handler", html).isFalse();
            assertThat(Pattern.compile("\\sstyle\\s*=|<style", Pattern.CASE_INSENSITIVE).matcher(text).find())
                    .as("%s has inline style", html).isFalse();
            assertThat(text).as("%s loads something from another origin", html).doesNotContain("http://", "https://", "//cdn");
        }
    }

    @Test
    void should_never_turn_strings_into_markup_or_code() throws IOException {
        List<Path> scripts = files(".js");
        assertThat(scripts).hasSizeGreaterThan(8);
        for (Path script : scripts) {
            String text = Files.readString(script);
            for (String forbidden : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                    "new Function", "setAttribute('style'", "createContextualFragment", "DOMParser")) {
                assertThat(text).as("%s uses %s", script, forbidden).doesNotContain(forbidden);
            }
        }
    }

    @Test
    void should_never_store_the_admin_key_in_the_browser() throws IOException {
        String app = Files.readString(PANEL.resolve("js/app.js"));
        // The login reads the key from its input, sends it once and empties the input; no storage call sees it.
        assertThat(app).contains("input.value = ''");
        for (Path script : files(".js")) {
            for (String line : Files.readAllLines(script)) {
                if (line.contains("Storage.setItem") || line.contains("localStorage") || line.contains("sessionStorage")) {
                    assertThat(line).as("%s stores something key-like", script).doesNotContainIgnoringCase("key.value").doesNotContain("input.value");
                }
            }
        }
    }
}
