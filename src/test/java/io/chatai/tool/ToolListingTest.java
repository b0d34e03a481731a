package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ToolListingTest {

    private static McpSchema.Tool tool(String name) {
        return tool(name, Map.of("type", "object", "properties", Map.of()));
    }

    private static McpSchema.Tool tool(String name, Map<String, Object> schema) {
        return McpSchema.Tool.builder().name(name).description("Tool " + name).inputSchema(schema).build();
    }

    @Test
    void should_follow_the_cursor_through_every_page() {
        List<String> asked = new ArrayList<>();
        ToolListing.Discovery discovery = ToolListing.list("s", cursor -> {
            asked.add(cursor);
            return switch (cursor == null ? "" : cursor) {
                case "" -> new McpSchema.ListToolsResult(List.of(tool("a"), tool("b")), "p2");
                case "p2" -> new McpSchema.ListToolsResult(List.of(tool("c")), "p3");
                default -> new McpSchema.ListToolsResult(List.of(tool("d")), null);
            };
        });

        assertThat(asked).containsExactly(null, "p2", "p3");
        assertThat(discovery.tools()).extracting(ToolInfo::name).containsExactly("a", "b", "c", "d");
        assertThat(discovery.warnings()).isEmpty();
        assertThat(discovery.tools().getFirst().description()).isEqualTo("Tool a");
        assertThat(discovery.tools().getFirst().parameters().path("type").asText()).isEqualTo("object");
    }

    @Test
    void should_stop_at_a_cursor_seen_before_or_after_64_pages() {
        int[] pages = {0};
        ToolListing.Discovery looping = ToolListing.list("s", cursor -> {
            pages[0]++;
            return new McpSchema.ListToolsResult(List.of(tool("t" + pages[0])), "same");
        });
        assertThat(pages[0]).isEqualTo(2);
        assertThat(looping.warnings()).containsExactly("the server's tool list did not end after 2 pages; the tools found so far are offered");

        pages[0] = 0;
        ToolListing.Discovery endless = ToolListing.list("s", cursor -> new McpSchema.ListToolsResult(List.of(), "c" + ++pages[0]));
        assertThat(pages[0]).isEqualTo(ToolListing.MAX_PAGES);
        assertThat(endless.warnings()).hasSize(1);
    }

    @Test
    void should_offer_at_most_512_tools() {
        List<McpSchema.Tool> many = IntStream.range(0, 600).mapToObj(i -> tool("t" + i)).toList();

        ToolListing.Discovery discovery = ToolListing.list("s", cursor -> new McpSchema.ListToolsResult(many, null));

        assertThat(discovery.tools()).hasSize(512);
        assertThat(discovery.warnings()).containsExactly("the server lists more than 512 tools; only the first 512 are offered");
    }

    @Test
    void should_skip_tools_a_provider_would_refuse_and_say_why() {
        Map<String, Object> huge = Map.of("type", "object", "description", "x".repeat(ToolListing.MAX_SCHEMA_CHARS));
        ToolListing.Discovery discovery = ToolListing.list("s", cursor -> new McpSchema.ListToolsResult(List.of(
                tool("good"), tool("dotted.name"), tool("good"), tool("big", huge), tool("n".repeat(70))), null));

        assertThat(discovery.tools()).extracting(ToolInfo::name).containsExactly("good");
        assertThat(discovery.warnings()).hasSize(4);
        assertThat(discovery.warnings().get(0)).startsWith("tool 'dotted.name' is skipped: its name has characters other than");
        assertThat(discovery.warnings().get(1)).isEqualTo("tool 'good' is skipped: the server lists it twice");
        assertThat(discovery.warnings().get(2)).isEqualTo("tool 'big' is skipped: its input schema is larger than 32 KiB");
        assertThat(discovery.warnings().get(3)).contains("longer than the 64 characters providers accept");
    }

    @Test
    void should_bound_descriptions_and_warnings() {
        McpSchema.Tool wordy = McpSchema.Tool.builder().name("wordy").description("w".repeat(10_000)).inputSchema(Map.of()).build();
        List<McpSchema.Tool> bad = new ArrayList<>(IntStream.range(0, 30).mapToObj(i -> tool("bad." + i)).toList());
        bad.add(wordy);

        ToolListing.Discovery discovery = ToolListing.list("s", cursor -> new McpSchema.ListToolsResult(bad, null));

        assertThat(discovery.tools().getFirst().description()).hasSize(ToolListing.MAX_DESCRIPTION).endsWith("…");
        assertThat(discovery.tools().getFirst().parameters().toString()).isEqualTo("{\"type\":\"object\",\"properties\":{}}");
        assertThat(discovery.warnings()).hasSize(21).last().isEqualTo("and 10 more");
    }
}
