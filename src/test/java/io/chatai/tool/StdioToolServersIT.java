package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.core.Cancellation;
import io.chatai.testing.Api;
import io.chatai.testing.JavaNames;
import io.chatai.testing.McpTestServer;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tool servers that are local programs (stdio), which run only with {@code CHATAI_ALLOW_STDIO_TOOLS=true}: the
 * program gets its own few variables and never this server's environment, and it ends with its server.
 */
class StdioToolServersIT {
    static final String ENV_SECRET = "env-secret-value-7777";
    /** What a local program may inherit ({@code ServerParameters}' list), plus the server's own {@code env}. */
    static final Set<String> ALLOWED = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "TOOL_TOKEN");
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withEnv("CHATAI_ALLOW_STDIO_TOOLS", "true");
    static final Api api = server.admin();

    @BeforeAll
    static void requireNode() {
        McpTestServer.assumeAvailable();
    }

    @Test
    void should_tell_the_panel_that_local_programs_are_allowed() {
        assertThat(api.get("/api/tools/servers/options").data().path("allowStdio").asBoolean()).isTrue();
    }

    @Test
    void should_run_a_local_program_with_a_clean_environment_and_stop_it_with_its_server() throws Exception {
        Api.Response created = api.post("/api/tools/servers", Map.of("name", "local", "command", McpTestServer.stdioCommand("--page-size", "2"),
                "env", Map.of("TOOL_TOKEN", ENV_SECRET)));

        assertThat(created.status()).isEqualTo(201);
        JsonNode view = created.data();
        assertThat(view.path("status").asText()).isEqualTo("connected");
        assertThat(view.path("transport").asText()).isEqualTo("stdio");
        assertThat(view.path("connectedVia").asText()).isEqualTo("stdio");
        assertThat(view.path("toolCount").asInt()).isEqualTo(8);
        assertThat(view.path("command").get(0).asText()).isEqualTo("node");
        assertThat(view.path("env").path("TOOL_TOKEN").asText()).isEqualTo("…7777");
        assertThat(api.get("/api/tools/servers").body()).doesNotContain(ENV_SECRET);
        assertThat(running()).hasSize(1);

        ToolResult environment = server.tools().tools(ToolPatterns.parse("tools", List.of("local.environment")))
                .call("local__environment", "{}", new Cancellation());
        assertThat(environment.isError()).as(environment.text()).isFalse();
        List<String> names = new ArrayList<>();
        new ObjectMapper().readTree(environment.text()).forEach(n -> names.add(n.asText()));
        assertThat(names).contains("PATH", "TOOL_TOKEN").allMatch(ALLOWED::contains);
        assertThat(System.getenv().keySet()).as("this JVM has more to leak").anyMatch(name -> !ALLOWED.contains(name));

        api.delete("/api/tools/servers/" + view.path("id").asText());
        ToolServersIT.eventually(Duration.ofSeconds(10), () -> running().isEmpty());
    }

    @Test
    void should_keep_a_stored_local_program_off_when_the_server_restarts_without_the_flag() throws Exception {
        Path dataDir = TestServer.newDataDir();
        try (TestServer allowed = TestServer.start(dataDir, Map.of("CHATAI_ALLOW_STDIO_TOOLS", "true"))) {
            assertThat(allowed.admin().post("/api/tools/servers", Map.of("name", "local", "command", McpTestServer.stdioCommand()))
                    .data().path("status").asText()).isEqualTo("connected");
        }
        ToolServersIT.eventually(Duration.ofSeconds(10), () -> running().isEmpty());
        try (TestServer refused = TestServer.start(dataDir, Map.of())) {
            ToolServersIT.eventually(Duration.ofSeconds(10), () -> refused.admin().get("/api/tools/servers").data().path(0)
                    .path("status").asText().equals("error"));
            JsonNode stored = refused.admin().get("/api/tools/servers").data().path(0);
            assertThat(stored.path("error").asText()).contains("CHATAI_ALLOW_STDIO_TOOLS");
            assertThat(running()).isEmpty();
            assertThat(refused.admin().put("/api/tools/servers/" + stored.path("id").asText(), Map.of("env", Map.of("A", "b")))
                    .json().path("error").asText()).contains("set CHATAI_ALLOW_STDIO_TOOLS=true");
        }
    }

    @Test
    void should_show_what_a_program_that_ended_at_once_said_without_waiting_for_the_timeout() {
        long started = System.nanoTime();
        // The pause lets the line through the pipe before the output closes: the SDK stops reading the standard
        // error once the standard output has ended, so what a program says in its very last moment is best effort.
        Api.Response created = api.post("/api/tools/servers", Map.of("name", "broken",
                "command", List.of("node", "-e", "console.error('missing API token'); setTimeout(() => process.exit(3), 300)")));

        assertThat(created.data().path("status").asText()).isEqualTo("error");
        assertThat(created.data().path("error").asText()).isEqualTo("the program ended before it answered (the program wrote: missing API token)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not the 60 s a program gets to start").isLessThan(Duration.ofSeconds(10));
        Api.Response missing = api.post("/api/tools/servers", Map.of("name", "missing", "command", List.of("no-such-program-here")));
        assertThat(missing.data().path("error").asText()).startsWith("could not start 'no-such-program-here': ");
        JavaNames.assertNone(missing.data().path("error").asText());
        api.delete("/api/tools/servers/" + created.data().path("id").asText());
        api.delete("/api/tools/servers/" + missing.data().path("id").asText());
    }

    @Test
    void should_redact_its_own_secret_whole_or_in_part_from_what_a_program_said() {
        // The program quotes its token whole, then cut short: a masked form (…7777) would still show the cut one's front.
        Api.Response created = api.post("/api/tools/servers", Map.of("name", "leaky", "env", Map.of("TOOL_TOKEN", ENV_SECRET),
                "command", List.of("node", "-e", "const t = process.env.TOOL_TOKEN; console.error('bad token ' + t + ', also ' "
                        + "+ t.slice(0, 12)); setTimeout(() => process.exit(3), 300)")));

        assertThat(created.data().path("error").asText())
                .isEqualTo("the program ended before it answered (the program wrote: bad token [redacted], also [redacted])");
        String id = created.data().path("id").asText();
        assertThat(api.get("/api/tools/servers/" + id).body()).doesNotContain("env-secret").doesNotContain(ENV_SECRET.substring(8));
        api.delete("/api/tools/servers/" + id);
    }

    /** The MCP test server's stdio processes this JVM started. */
    private static List<ProcessHandle> running() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("server.mjs --transport stdio")).toList();
    }
}
