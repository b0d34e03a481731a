package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.ApiException;
import io.chatai.core.Json;
import io.chatai.core.JsonBody;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolServerFormTest {
    static final ToolServerForm HTTP_ONLY = new ToolServerForm(false);
    static final ToolServerForm STDIO_TOO = new ToolServerForm(true);

    static JsonBody body(Object value) {
        return new JsonBody((ObjectNode) Json.MAPPER.valueToTree(value));
    }

    @Test
    void should_create_an_http_server_with_the_contract_defaults() {
        ToolServer server = HTTP_ONLY.create(body(Map.of("name", "weather", "url", "https://tools.example.com/mcp?v=2")), 7);

        assertThat(server.id()).startsWith("ts_").hasSize(19);
        assertThat(server.endpoint()).isEqualTo(new ToolEndpoint.Http("https://tools.example.com/mcp?v=2", ToolEndpoint.HttpTransport.AUTO, Map.of()));
        assertThat(server.enabled()).isTrue();
        assertThat(server.timeoutMs()).isEqualTo(30_000);
        assertThat(server.disabledTools()).isEmpty();
        assertThat(server.createdAt()).isEqualTo(7);
    }

    @Test
    void should_create_a_local_program_only_when_allowed() {
        Map<String, Object> fields = Map.of("name", "files", "command", List.of("npx", "-y", "server-files"), "env", Map.of("ROOT", "/srv"));

        assertThatThrownBy(() -> HTTP_ONLY.create(body(fields), 0)).isInstanceOf(ApiException.class)
                .hasMessage("Tool servers that are local programs (command) run on this server's host, so they are off; "
                        + "set CHATAI_ALLOW_STDIO_TOOLS=true to allow them");
        ToolServer server = STDIO_TOO.create(body(fields), 0);
        assertThat(server.endpoint()).isEqualTo(new ToolEndpoint.Stdio(List.of("npx", "-y", "server-files"), Map.of("ROOT", "/srv")));
        assertThat(server.endpoint().transportName()).isEqualTo("stdio");
        assertThat(HTTP_ONLY.allows(server.endpoint())).isFalse();
        assertThat(STDIO_TOO.allows(server.endpoint())).isTrue();
        assertThatThrownBy(() -> STDIO_TOO.create(body(Map.of("name", "x", "command", List.of())), 0))
                .hasMessage("command must name the program to run, then its arguments");
        assertThatThrownBy(() -> STDIO_TOO.create(body(Map.of("name", "x", "command", List.of("a"), "env", Map.of("1X", "y"))), 0))
                .hasMessageStartingWith("env names are letters");
        assertThatThrownBy(() -> STDIO_TOO.create(body(Map.of("name", "x", "command", List.of("a"), "headers", Map.of("A", "b"))), 0))
                .hasMessage("headers apply to HTTP servers (url); a local program gets env");
        assertThatThrownBy(() -> STDIO_TOO.create(body(Map.of("name", "x", "command", List.of("a"), "transport", "sse")), 0))
                .hasMessage("transport must be stdio for a command, got 'sse'");
    }

    @Test
    void should_merge_keeping_masked_secrets_and_switch_kinds_only_when_told() {
        ToolServer stored = STDIO_TOO.create(body(Map.of("name", "mixed", "url", "http://h/mcp", "transport", "sse",
                "headers", Map.of("Authorization", "Bearer token-value-0001", "X-Other", "other-secret-0002"))), 0);

        ToolServer merged = STDIO_TOO.merge(stored, body(Map.of("headers", Map.of("Authorization", "…0001", "X-New", "n"), "timeoutMs", 900)), 5);
        assertThat(merged.endpoint()).isEqualTo(new ToolEndpoint.Http("http://h/mcp", ToolEndpoint.HttpTransport.SSE,
                Map.of("Authorization", "Bearer token-value-0001", "X-New", "n")));
        assertThat(merged.timeoutMs()).isEqualTo(900);
        assertThat(merged.updatedAt()).isEqualTo(5);
        assertThat(STDIO_TOO.merge(stored, body(Map.of("enabled", false)), 5).endpoint()).isEqualTo(stored.endpoint());

        assertThatThrownBy(() -> STDIO_TOO.merge(stored, body(Map.of("command", List.of("node"))), 5))
                .hasMessageStartingWith("A tool server has a url (HTTP) or a command (a local program), not both");
        Map<String, Object> toLocal = new java.util.HashMap<>(Map.of("command", List.of("node")));
        toLocal.put("url", null);
        assertThat(STDIO_TOO.merge(stored, body(toLocal), 5).endpoint()).isEqualTo(new ToolEndpoint.Stdio(List.of("node"), Map.of()));
        Map<String, Object> nothing = new java.util.HashMap<>();
        nothing.put("url", null);
        assertThatThrownBy(() -> STDIO_TOO.merge(stored, body(nothing), 5)).hasMessage("A tool server needs a url (HTTP) or a command (a local program)");
    }

    @Test
    void should_refuse_urls_that_are_not_plain_http() {
        for (String url : List.of("ftp://h/mcp", "http:///mcp", "mcp", "http://u:p@h/mcp", "http://h/mcp#x", "http://h /mcp")) {
            assertThatThrownBy(() -> HTTP_ONLY.create(body(Map.of("name", "x", "url", url)), 0)).as(url).isInstanceOf(ApiException.class)
                    .hasMessageStartingWith("url ");
        }
    }

    @Test
    void should_read_a_claude_desktop_document_into_this_apis_fields() {
        List<ClaudeDesktopImport.Entry> entries = ClaudeDesktopImport.read(body(Map.of("mcpServers", Map.of(
                "GitHub", Map.of("command", "npx", "args", List.of("-y", "@modelcontextprotocol/server-github"),
                        "env", Map.of("GITHUB_PERSONAL_ACCESS_TOKEN", "ghp_x")),
                "remote", Map.of("type", "http", "url", "https://r/mcp", "headers", Map.of("Authorization", "Bearer b"), "disabled", true)))));

        assertThat(entries).hasSize(2);
        ClaudeDesktopImport.Entry github = entries.stream().filter(e -> e.name().equals("GitHub")).findFirst().orElseThrow();
        ToolServer local = STDIO_TOO.create(github.body(), 0);
        assertThat(local.name()).isEqualTo("github");
        assertThat(local.endpoint()).isEqualTo(new ToolEndpoint.Stdio(List.of("npx", "-y", "@modelcontextprotocol/server-github"),
                Map.of("GITHUB_PERSONAL_ACCESS_TOKEN", "ghp_x")));
        ClaudeDesktopImport.Entry remote = entries.stream().filter(e -> e.name().equals("remote")).findFirst().orElseThrow();
        ToolServer http = HTTP_ONLY.create(remote.body(), 0);
        assertThat(http.endpoint()).isEqualTo(new ToolEndpoint.Http("https://r/mcp", ToolEndpoint.HttpTransport.STREAMABLE_HTTP, Map.of("Authorization", "Bearer b")));
        assertThat(http.enabled()).isFalse();
    }

    @Test
    void should_refuse_documents_that_are_not_claude_desktop_ones_naming_the_entry() {
        assertThatThrownBy(() -> ClaudeDesktopImport.read(body(Map.of("servers", Map.of())))).hasMessageStartingWith("The body must be a Claude Desktop document");
        assertThatThrownBy(() -> ClaudeDesktopImport.read(body(Map.of("mcpServers", Map.of())))).hasMessage("mcpServers must hold 1 to 64 servers, got 0");
        assertThatThrownBy(() -> ClaudeDesktopImport.read(body(Map.of("mcpServers", Map.of("x", "y"))))).hasMessage("mcpServers.x must be an object");
        assertThatThrownBy(() -> ClaudeDesktopImport.read(body(Map.of("mcpServers", Map.of("x", Map.of("command", List.of("a")))))))
                .hasMessage("mcpServers.x: command must be a string, got an array");
        assertThatThrownBy(() -> ClaudeDesktopImport.read(body(Map.of("mcpServers", Map.of("x", Map.of("url", "http://h", "type", "ws"))))))
                .hasMessage("mcpServers.x: type must be http, streamable-http, sse or stdio, got 'ws'");
    }
}
