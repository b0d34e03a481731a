package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.McpTestServer;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/tools/servers} and {@code /api/tools} against a real MCP server (the official TypeScript SDK's, see
 * {@link McpTestServer}): discovery over every page, list_changed, retries, both HTTP transports, the import,
 * masking and encryption of header values, and what client keys may see.
 */
class ToolServersIT {
    static final String HEADER_SECRET = "tool-header-secret-4242";
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults()
            .withEnv("CHATAI_SECRET_KEY", "a-long-enough-secret-for-tests");
    static final Api api = server.admin();
    /** 9 tools of its own (one, bad.name, no provider accepts) and 6 more, listed 4 to a page: 4 pages. */
    static McpTestServer tools;

    @BeforeAll
    static void startToolServer() {
        McpTestServer.assumeAvailable();
        tools = McpTestServer.start("streamable-http", "--page-size", "4", "--extra-tools", "6");
    }

    @AfterAll
    static void stopToolServer() {
        if (tools != null) {
            tools.close();
        }
    }

    @AfterEach
    void deleteToolServers() {
        for (JsonNode stored : api.get("/api/tools/servers").data()) {
            api.delete("/api/tools/servers/" + stored.path("id").asText());
        }
    }

    private static Api.Response create(Map<String, ?> fields) {
        return api.post("/api/tools/servers", fields);
    }

    @Test
    void should_connect_a_new_server_and_list_its_tools_over_every_page() {
        Api.Response created = create(Map.of("name", "weather", "url", tools.url()));

        assertThat(created.status()).isEqualTo(201);
        JsonNode view = created.data();
        assertThat(view.path("id").asText()).startsWith("ts_");
        assertThat(view.path("status").asText()).isEqualTo("connected");
        assertThat(view.path("error").isNull()).isTrue();
        assertThat(view.path("transport").asText()).isEqualTo("auto");
        assertThat(view.path("connectedVia").asText()).isEqualTo("streamable-http");
        assertThat(view.path("enabled").asBoolean()).isTrue();
        assertThat(view.path("timeoutMs").asInt()).isEqualTo(30_000);
        assertThat(view.path("toolCount").asInt()).as("15 listed, bad.name skipped").isEqualTo(14);
        assertThat(view.path("warnings").toString()).contains("bad.name").contains("characters other than");

        List<String> names = names(api.get("/api/tools").data());
        assertThat(names).hasSize(14).contains("weather.echo", "weather.add", "weather.extra_001", "weather.extra_006")
                .doesNotContain("weather.bad.name");
        JsonNode add = find(api.get("/api/tools").data(), "weather.add");
        assertThat(add.path("server").asText()).isEqualTo("weather");
        assertThat(add.path("description").asText()).isEqualTo("Adds two numbers.");
        assertThat(add.path("parameters").path("required").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(add.path("enabled").asBoolean()).isTrue();
        assertThat(api.get("/api/tools/servers/" + view.path("id").asText()).data().path("toolCount").asInt()).isEqualTo(14);
    }

    @Test
    void should_mask_header_values_send_them_only_to_their_server_and_keep_them_encrypted_at_rest() throws IOException {
        Api.Response created = create(Map.of("name", "secretive", "url", tools.url(), "headers", Map.of("X-Tool-Key", HEADER_SECRET)));
        String id = created.data().path("id").asText();

        assertThat(created.data().path("headers").path("X-Tool-Key").asText()).isEqualTo("…4242");
        assertThat(created.body() + api.get("/api/tools/servers").body() + api.get("/api/tools/servers/" + id).body()
                + api.get("/api/tools").body()).doesNotContain(HEADER_SECRET);
        assertThat(headerValues(tools, "x-tool-key")).contains(HEADER_SECRET);

        // Sent back masked (as read), the value stands for the stored secret: still the one the tool server gets.
        Api.Response renamed = api.put("/api/tools/servers/" + id, Map.of("headers", Map.of("X-Tool-Key", "…4242"), "timeoutMs", 20_000));
        assertThat(renamed.data().path("timeoutMs").asInt()).isEqualTo(20_000);
        int before = tools.requests().size();
        assertThat(api.post("/api/tools/servers/" + id + "/refresh", Map.of()).data().path("status").asText()).isEqualTo("connected");
        assertThat(tools.requests().subList(before, tools.requests().size()))
                .allSatisfy(r -> assertThat(r.path("headers").path("x-tool-key").asText()).isEqualTo(HEADER_SECRET));

        assertThat(stored(server.dataDir(), HEADER_SECRET)).as("encrypted at rest").isEmpty();
    }

    @Test
    void should_send_no_chatai_or_channel_key_to_a_tool_server() {
        String clientKey = server.createKey("bot", null, null);
        String channelKey = "sk-channel-key-never-to-tools-0077";
        api.post("/api/channels", Map.of("name", "upstream", "type", "openai", "baseUrl", "http://127.0.0.1:9", "apiKeys", List.of(channelKey)));
        int before = tools.requests().size();

        String plain = create(Map.of("name", "plain", "url", tools.url())).data().path("id").asText();
        String own = create(Map.of("name", "own", "url", tools.url(), "headers", Map.of("Authorization", "Bearer tool-own-token-31"))).data().path("id").asText();
        server.tools().tools(ToolPatterns.parse("tools", List.of("plain.*", "own.*"))).call("plain__echo", "{\"text\": \"hi\"}", new io.chatai.core.Cancellation());
        server.tools().tools(ToolPatterns.parse("tools", List.of("own.*"))).call("own__echo", "{\"text\": \"hi\"}", new io.chatai.core.Cancellation());
        server.as(clientKey).get("/api/tools");
        api.post("/api/tools/servers/" + plain + "/refresh", Map.of());
        api.post("/api/tools/servers/" + own + "/refresh", Map.of());

        List<JsonNode> seen = tools.requests().subList(before, tools.requests().size());
        assertThat(seen).hasSizeGreaterThan(6);
        for (JsonNode request : seen) {
            String headers = request.path("headers").toString();
            assertThat(headers).doesNotContain(TestServer.ADMIN_KEY).doesNotContain(clientKey).doesNotContain(channelKey);
            String authorization = request.path("headers").path("authorization").asText(null);
            assertThat(authorization).isIn(null, "Bearer tool-own-token-31");
        }
        assertThat(headerValues(tools, "authorization")).contains("Bearer tool-own-token-31");
        api.get("/api/channels").data().forEach(c -> api.delete("/api/channels/" + c.path("id").asText()));
    }

    @Test
    void should_merge_on_put_and_refuse_invalid_servers_with_the_reason() {
        String id = create(Map.of("name", "editable", "url", tools.url(), "timeoutMs", 5_000)).data().path("id").asText();
        JsonNode disabled = api.put("/api/tools/servers/" + id, Map.of("enabled", false)).data();
        assertThat(disabled.path("status").asText()).isEqualTo("disabled");
        assertThat(disabled.path("timeoutMs").asInt()).as("PUT merges").isEqualTo(5_000);
        assertThat(names(api.get("/api/tools").data())).noneMatch(n -> n.startsWith("editable."));
        JsonNode enabled = api.put("/api/tools/servers/" + id, Map.of("enabled", true, "name", "renamed")).data();
        assertThat(enabled.path("status").asText()).isEqualTo("connected");
        assertThat(names(api.get("/api/tools").data())).contains("renamed.echo").noneMatch(n -> n.startsWith("editable."));

        Map<Map<String, Object>, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put(Map.of("url", tools.url()), "name is required");
        refusals.put(Map.of("name", "Weather", "url", tools.url()), "name must be 1-32 characters of a-z");
        refusals.put(Map.of("name", "1password", "url", tools.url()), "starting with a letter");
        refusals.put(Map.of("name", "my__tools", "url", tools.url()), "must not contain '__'");
        refusals.put(Map.of("name", "tools_", "url", tools.url()), "or end with '_'");
        refusals.put(Map.of("name", "x".repeat(33), "url", tools.url()), "name must be 1-32 characters");
        refusals.put(Map.of("name", "x"), "url is required");
        refusals.put(Map.of("name", "x", "url", "ftp://host/mcp"), "http:// or https://");
        refusals.put(Map.of("name", "x", "url", "http://user:pw@host/mcp"), "must not hold credentials");
        refusals.put(Map.of("name", "x", "url", tools.url(), "command", List.of("node")), "not both");
        refusals.put(Map.of("name", "x", "url", tools.url(), "headers", Map.of("Host", "evil")), "headers may not set 'Host'");
        refusals.put(Map.of("name", "x", "url", tools.url(), "headers", Map.of("Mcp-Session-Id", "s")), "headers may not set");
        refusals.put(Map.of("name", "x", "url", tools.url(), "transport", "stdio"), "transport must be auto, streamable-http or sse");
        refusals.put(Map.of("name", "x", "url", tools.url(), "env", Map.of("A", "b")), "env applies to local programs");
        refusals.put(Map.of("name", "x", "url", tools.url(), "timeoutMs", 50), "timeoutMs must be from 100 to 600000");
        refusals.put(Map.of("name", "renamed", "url", tools.url()), "exists already");
        refusals.put(Map.of("name", "x", "command", List.of("node", "server.mjs")), "set CHATAI_ALLOW_STDIO_TOOLS=true");
        refusals.forEach((body, message) -> {
            Api.Response refused = create(body);
            assertThat(refused.status()).as(body.toString()).isEqualTo(400);
            assertThat(refused.json().path("code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(refused.json().path("error").asText()).as(body.toString()).contains(message);
        });
        assertThat(api.put("/api/tools/servers/" + id, Map.of("name", "Bad Name")).status()).isEqualTo(400);
        assertThat(api.get("/api/tools/servers/ts_missing").status()).isEqualTo(404);
        assertThat(api.put("/api/tools/servers/ts_missing", Map.of("enabled", false)).status()).isEqualTo(404);
        assertThat(api.delete("/api/tools/servers/ts_missing").status()).isEqualTo(404);
        assertThat(api.post("/api/tools/servers/ts_missing/refresh", Map.of()).status()).isEqualTo(404);
        assertThat(api.get("/api/tools/servers").data()).hasSize(1);
    }

    @Test
    void should_tell_the_panel_that_local_programs_are_off_and_the_bounds_of_a_timeout() {
        JsonNode options = api.get("/api/tools/servers/options").data();

        assertThat(options.path("allowStdio").isBoolean()).isTrue();
        assertThat(options.path("allowStdio").asBoolean()).isFalse();
        assertThat(options.path("defaultTimeoutMs").asInt()).isEqualTo(30_000);
        assertThat(options.path("minTimeoutMs").asInt()).isEqualTo(100);
        assertThat(options.path("maxTimeoutMs").asInt()).isEqualTo(600_000);
    }

    @Test
    void should_let_only_the_admin_manage_tool_servers_and_show_client_keys_no_url_header_or_command() {
        String id = create(Map.of("name", "weather", "url", tools.url(), "headers", Map.of("X-Tool-Key", HEADER_SECRET))).data().path("id").asText();
        Api client = server.as(server.createKey("bot", "user-1", null));

        assertThat(List.of(client.get("/api/tools/servers"), client.get("/api/tools/servers/" + id),
                client.post("/api/tools/servers", Map.of("name", "mine", "url", tools.url())),
                client.put("/api/tools/servers/" + id, Map.of("enabled", false)),
                client.post("/api/tools/servers/" + id + "/refresh", Map.of()),
                client.post("/api/tools/servers/import", Map.of("mcpServers", Map.of("mine", Map.of("url", tools.url())))),
                client.delete("/api/tools/servers/" + id),
                client.put("/api/tools/weather.echo", Map.of("enabled", false))))
                .allSatisfy(response -> {
                    assertThat(response.status()).isEqualTo(403);
                    assertThat(response.json().path("code").asText()).isEqualTo("FORBIDDEN");
                });
        assertThat(api.get("/api/tools/servers").data()).hasSize(1);

        Api.Response listed = client.get("/api/tools");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(names(listed.data())).contains("weather.echo");
        listed.data().forEach(tool -> assertThat(tool.properties().stream().map(Map.Entry::getKey).toList())
                .containsExactly("name", "description", "parameters", "server", "enabled"));
        assertThat(listed.body()).doesNotContain(String.valueOf(tools.port())).doesNotContain("127.0.0.1")
                .doesNotContain(HEADER_SECRET).doesNotContain("X-Tool-Key").doesNotContain("server.mjs");
    }

    @Test
    void should_offer_a_tool_the_server_adds_at_runtime() throws Exception {
        try (McpTestServer changing = McpTestServer.start("streamable-http")) {
            create(Map.of("name", "changing", "url", changing.url()));
            assertThat(names(api.get("/api/tools").data())).doesNotContain("changing.late_arrival");

            changing.addTool("late_arrival");

            eventually(Duration.ofSeconds(10), () -> names(api.get("/api/tools").data()).contains("changing.late_arrival"));
            assertThat(server.tools().tools(ToolPatterns.parse("tools", List.of("changing.late_arrival")))
                    .call("changing__late_arrival", "{}", new io.chatai.core.Cancellation()).text()).isEqualTo("ran late_arrival");
        }
    }

    @Test
    void should_save_an_unreachable_server_with_its_error_and_connect_it_once_it_is_up() throws Exception {
        int port = McpTestServer.freePort();
        Api.Response created = create(Map.of("name", "later", "url", "http://127.0.0.1:" + port + "/mcp"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.data().path("status").asText()).isEqualTo("error");
        assertThat(created.data().path("error").asText()).contains("connection refused");
        String id = created.data().path("id").asText();

        try (McpTestServer late = McpTestServer.start(port, "streamable-http")) {
            eventually(Duration.ofSeconds(20), () -> api.get("/api/tools/servers/" + id).data().path("status").asText().equals("connected"));
            JsonNode connected = api.get("/api/tools/servers/" + id).data();
            assertThat(connected.path("error").isNull()).isTrue();
            assertThat(connected.path("toolCount").asInt()).isEqualTo(8);
            assertThat(names(api.get("/api/tools").data())).contains("later.echo");
        }
    }

    @Test
    void should_fall_back_to_http_sse_for_an_sse_only_server_or_speak_it_when_asked() {
        try (McpTestServer sse = McpTestServer.start("sse")) {
            JsonNode auto = create(Map.of("name", "legacy", "url", sse.url())).data();
            assertThat(auto.path("status").asText()).isEqualTo("connected");
            assertThat(auto.path("connectedVia").asText()).isEqualTo("sse");
            JsonNode asked = create(Map.of("name", "legacy2", "url", sse.url(), "transport", "sse")).data();
            assertThat(asked.path("status").asText()).isEqualTo("connected");
            assertThat(asked.path("transport").asText()).isEqualTo("sse");
            JsonNode streamableOnly = create(Map.of("name", "legacy3", "url", sse.url(), "transport", "streamable-http")).data();
            assertThat(streamableOnly.path("status").asText()).isEqualTo("error");
            assertThat(streamableOnly.path("error").asText()).contains("405");

            var result = server.tools().tools(ToolPatterns.parse("tools", List.of("legacy.*"))).call("legacy__add", "{\"a\": 2, \"b\": 3}",
                    new io.chatai.core.Cancellation());
            assertThat(result.isError()).isFalse();
            assertThat(result.text()).isEqualTo("5");
        }
    }

    @Test
    void should_import_a_claude_desktop_document_checking_every_entry_before_writing_any() {
        Map<String, Object> local = Map.of("command", "node", "args", McpTestServer.stdioCommand().subList(1, 4));
        Map<String, Object> withLocal = Map.of("mcpServers", Map.of(
                "Remote", Map.of("url", tools.url(), "headers", Map.of("X-Tool-Key", HEADER_SECRET)),
                "local", local));
        Api.Response refused = api.post("/api/tools/servers/import", withLocal);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).startsWith("mcpServers.local: ").contains("CHATAI_ALLOW_STDIO_TOOLS=true");
        assertThat(api.get("/api/tools/servers").data()).as("nothing written").isEmpty();

        try (McpTestServer sse = McpTestServer.start("sse")) {
            Map<String, Object> document = Map.of("mcpServers", Map.of(
                    "Remote", Map.of("url", tools.url(), "headers", Map.of("X-Tool-Key", HEADER_SECRET)),
                    "legacy", Map.of("type", "sse", "url", sse.url(), "disabled", false)));
            Api.Response imported = api.post("/api/tools/servers/import", document);
            assertThat(imported.status()).isEqualTo(200);
            assertThat(imported.data().path("created").asInt()).isEqualTo(2);
            assertThat(imported.data().path("updated").asInt()).isZero();
            assertThat(imported.data().path("servers")).extracting(s -> s.path("name").asText()).containsExactlyInAnyOrder("remote", "legacy");
            assertThat(imported.data().path("servers")).allSatisfy(s -> assertThat(s.path("status").asText()).isEqualTo("connected"));
            assertThat(imported.body()).doesNotContain(HEADER_SECRET);
            assertThat(find(api.get("/api/tools/servers").data(), "legacy").path("transport").asText()).isEqualTo("sse");

            Api.Response again = api.post("/api/tools/servers/import", document);
            assertThat(again.data().path("created").asInt()).isZero();
            assertThat(again.data().path("updated").asInt()).isEqualTo(2);
            assertThat(api.get("/api/tools/servers").data()).hasSize(2);
        }
        assertThat(api.post("/api/tools/servers/import", Map.of("servers", Map.of())).status()).isEqualTo(400);
        assertThat(api.post("/api/tools/servers/import", Map.of("mcpServers", Map.of("x", Map.of("url", tools.url(), "type", "carrier-pigeon"))))
                .json().path("error").asText()).startsWith("mcpServers.x: type must be");
    }

    @Test
    void should_turn_one_tool_off_and_on_again() {
        create(Map.of("name", "weather", "url", tools.url()));

        Api.Response off = api.put("/api/tools/weather.echo", Map.of("enabled", false));
        assertThat(off.status()).isEqualTo(200);
        assertThat(off.data().path("enabled").asBoolean()).isFalse();
        assertThat(find(api.get("/api/tools").data(), "weather.echo").path("enabled").asBoolean()).isFalse();
        ToolSet offered = server.tools().tools(ToolPatterns.parse("tools", List.of("weather.*")));
        assertThat(offered.definitions()).extracting(ToolDefinition::name).contains("weather.add").doesNotContain("weather.echo");
        assertThat(offered.call("weather__echo", "{\"text\": \"x\"}", new io.chatai.core.Cancellation()).isError()).isTrue();

        assertThat(api.put("/api/tools/weather.echo", Map.of("enabled", true)).data().path("enabled").asBoolean()).isTrue();
        assertThat(server.tools().tools(ToolPatterns.parse("tools", List.of("weather.*"))).definitions())
                .extracting(ToolDefinition::name).contains("weather.echo");
        assertThat(api.put("/api/tools/weather.nope", Map.of("enabled", false)).status()).isEqualTo(404);
        assertThat(api.put("/api/tools/weather.echo", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void should_end_the_session_when_a_server_is_deleted() {
        String id = create(Map.of("name", "short-lived", "url", tools.url())).data().path("id").asText();
        int before = tools.requests().size();

        assertThat(api.delete("/api/tools/servers/" + id).status()).isEqualTo(200);

        assertThat(tools.requests().subList(before, tools.requests().size())).extracting(r -> r.path("method").asText()).contains("DELETE");
        assertThat(names(api.get("/api/tools").data())).noneMatch(n -> n.startsWith("short-lived."));
        assertThat(api.get("/api/tools/servers/" + id).status()).isEqualTo(404);
    }

    @Test
    void should_connect_servers_declared_in_chatai_config() throws IOException {
        Path config = Files.createTempFile("chatai-config", ".yaml");
        Files.writeString(config, """
                toolServers:
                  - name: declared
                    url: %s
                    headers:
                      X-Tool-Key: %s
                """.formatted(tools.url(), HEADER_SECRET));
        try (TestServer declared = TestServer.start(Map.of("CHATAI_CONFIG", config.toString()))) {
            eventually(Duration.ofSeconds(10), () -> names(declared.admin().get("/api/tools").data()).contains("declared.echo"));
            assertThat(declared.admin().get("/api/tools/servers").data().path(0).path("headers").path("X-Tool-Key").asText()).isEqualTo("…4242");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Files.writeString(config, "toolServers:\n  - name: Bad Name\n    url: " + tools.url() + "\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.start(Map.of("CHATAI_CONFIG", config.toString())))
                .hasMessageStartingWith("CHATAI_CONFIG toolServers[0]: name must be");
    }

    @Test
    void should_connect_a_server_added_through_another_instance() throws Exception {
        assumeTrue(TestDatabases.postgresql(), "several instances share a database on PostgreSQL");
        try (TestServer other = TestServer.start(server.dataDir(), Map.of("CHATAI_SECRET_KEY", "a-long-enough-secret-for-tests"))) {
            String id = create(Map.of("name", "shared", "url", tools.url())).data().path("id").asText();
            eventually(Duration.ofSeconds(10), () -> names(other.admin().get("/api/tools").data()).contains("shared.echo"));
            assertThat(other.tools().tools(ToolPatterns.parse("tools", List.of("shared.echo"))).call("shared__echo", "{\"text\": \"there\"}",
                    new io.chatai.core.Cancellation()).text()).isEqualTo("there");

            api.delete("/api/tools/servers/" + id);
            eventually(Duration.ofSeconds(10), () -> names(other.admin().get("/api/tools").data()).isEmpty());
        }
    }

    static List<String> names(JsonNode tools) {
        List<String> names = new ArrayList<>();
        tools.forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    static JsonNode find(JsonNode items, String name) {
        for (JsonNode item : items) {
            if (item.path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no " + name + " in " + items);
    }

    static List<String> headerValues(McpTestServer tools, String header) {
        return tools.requests().stream().map(r -> r.path("headers").path(header).asText(null)).filter(v -> v != null).toList();
    }

    static void eventually(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long started = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - started > limit.toNanos()) {
                throw new AssertionError("not true within " + limit);
            }
            Thread.sleep(100);
        }
    }

    /** Files of the data directory holding the text; on PostgreSQL the tool_servers table counts as one more. */
    static List<Path> stored(Path dir, String text) throws IOException {
        List<Path> found = new ArrayList<>();
        if (TestDatabases.postgresql() && TestDatabases.dumpTable(dir, "tool_servers").contains(text)) {
            found.add(Path.of("postgresql:tool_servers"));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                try {
                    if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text)) {
                        found.add(file);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        return found;
    }
}
