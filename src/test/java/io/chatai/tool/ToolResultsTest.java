package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolResultsTest {

    private static McpSchema.CallToolResult result(List<McpSchema.Content> content, Boolean isError, Object structured) {
        return new McpSchema.CallToolResult(content, isError, structured, null);
    }

    private static McpSchema.TextContent text(String text) {
        return new McpSchema.TextContent(null, text, null);
    }

    @Test
    void should_join_text_parts_and_keep_the_error_flag() {
        ToolResult result = ToolResults.of(result(List.of(text("one"), text("two")), true, null), 12);

        assertThat(result.text()).isEqualTo("one\ntwo");
        assertThat(result.parts()).containsExactly(new ToolResult.Part.Text("one"), new ToolResult.Part.Text("two"));
        assertThat(result.isError()).isTrue();
        assertThat(result.durationMs()).isEqualTo(12);
        assertThat(ToolResults.of(result(List.of(text("ok")), null, null), 1).isError()).isFalse();
    }

    @Test
    void should_show_structured_content_when_there_is_no_other_and_say_when_an_error_has_no_message() {
        assertThat(ToolResults.of(result(List.of(), false, Map.of("temperature", 21)), 0).text()).isEqualTo("{\"temperature\":21}");
        assertThat(ToolResults.of(result(List.of(), true, null), 0).text()).isEqualTo("The tool reported an error without a message.");
        assertThat(ToolResults.of(result(List.of(), false, null), 0).text()).isEmpty();
    }

    @Test
    void should_keep_a_few_images_and_note_what_was_left_out() {
        McpSchema.ImageContent png = new McpSchema.ImageContent(null, "iVBORw0KGgo=", "image/png", null);
        McpSchema.ImageContent huge = new McpSchema.ImageContent(null, "A".repeat(ToolResults.MAX_IMAGE_CHARS + 1), "image/png", null);
        McpSchema.AudioContent audio = new McpSchema.AudioContent(null, "AAAA", "audio/wav", null);
        McpSchema.EmbeddedResource resource = new McpSchema.EmbeddedResource(null,
                new McpSchema.TextResourceContents("file:///notes.txt", "text/plain", "the notes", null), null);
        McpSchema.EmbeddedResource blob = new McpSchema.EmbeddedResource(null,
                new McpSchema.BlobResourceContents("file:///a.bin", "application/octet-stream", "AAAA", null), null);

        ToolResult result = ToolResults.of(result(List.of(png, png, png, png, png, huge, audio, resource, blob), false, null), 0);

        assertThat(result.parts().stream().filter(p -> p instanceof ToolResult.Part.Image)).hasSize(4);
        assertThat(result.text().lines().toList()).containsExactly(
                "[an image (image/png) was left out: at most 4 images of 4 MiB are passed on]",
                "[an image (image/png) was left out: at most 4 images of 4 MiB are passed on]",
                "[audio (audio/wav) was left out]",
                "the notes",
                "[binary resource file:///a.bin (application/octet-stream) was left out]");
    }

    @Test
    void should_cut_text_over_64_kib_on_a_character_boundary_with_a_note() {
        String euro = "€".repeat(30_000); // 3 bytes each: 90,000 bytes
        ToolResult result = ToolResults.of(result(List.of(text(euro), text("after")), false, null), 0);

        String kept = ((ToolResult.Part.Text) result.parts().getFirst()).text();
        assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isEqualTo(65_535); // 21,845 whole euros; one more byte would split one
        assertThat(kept.matches("€+")).isTrue();
        assertThat(result.parts().size()).isEqualTo(2);
        assertThat(result.text().endsWith("€\n[The tool's result was cut to 64 KiB: it returned 90005 bytes of text.]")).isTrue();
        assertThat(result.text().contains("after")).as("text after the cut is dropped").isFalse();
    }

    @Test
    void should_leave_text_of_exactly_64_kib_whole() {
        ToolResult result = ToolResults.of(result(List.of(text("x".repeat(65_536))), false, null), 0);

        assertThat(result.text().length()).isEqualTo(65_536);
        assertThat(result.parts().size()).isEqualTo(1);
    }
}
