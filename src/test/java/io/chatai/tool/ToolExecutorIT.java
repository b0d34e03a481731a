package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.Cancellation;
import io.chatai.testing.Api;
import io.chatai.testing.McpTestServer;
import io.chatai.testing.TestServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ToolExecutor} against a real MCP server: results, error results the model can read for every kind of
 * failure, the server's timeout, a cancel, the 64 KiB cap, images, and only the offered tools run.
 */
class ToolExecutorIT {
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults();
    static final Api api = server.admin();
    static McpTestServer tools;

    @BeforeAll
    static void connect() throws InterruptedException {
        McpTestServer.assumeAvailable();
        tools = McpTestServer.start("streamable-http");
        api.post("/api/tools/servers", Map.of("name", "kit", "url", tools.url(), "timeoutMs", 1_500));
        // The 1.5 s that the timeout test needs also bounds connecting; on a loaded machine the first (cold) attempt
        // may miss it, and the background retry connects. That POST answers connected is ToolServersIT's to prove.
        JsonNodeAssert.status(api, "kit", "connected", Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (tools != null) {
            tools.close();
        }
    }

    private static ToolResult call(String modelName, String arguments) {
        return kit().call(modelName, arguments, new Cancellation());
    }

    private static ToolSet kit() {
        return server.tools().tools(ToolPatterns.parse("tools", List.of("kit.*")));
    }

    @Test
    void should_offer_the_matching_tools_with_their_model_names_and_schemas() {
        ToolSet offered = server.tools().tools(ToolPatterns.parse("tools", List.of("kit.echo", "kit.add", "other.*")));

        assertThat(offered.definitions()).extracting(ToolDefinition::name).containsExactly("kit.add", "kit.echo");
        ToolDefinition add = offered.definitions().getFirst();
        assertThat(add.modelName()).isEqualTo("kit__add");
        assertThat(add.server()).isEqualTo("kit");
        assertThat(add.description()).isEqualTo("Adds two numbers.");
        assertThat(add.parameters().path("properties").path("a").path("type").asText()).isEqualTo("number");
        assertThat(server.tools().tools(ToolPatterns.NONE).isEmpty()).isTrue();
    }

    @Test
    void should_run_a_tool_and_give_its_text() {
        ToolResult result = call("kit__add", "{\"a\": 2, \"b\": 40}");

        assertThat(result.isError()).isFalse();
        assertThat(result.text()).isEqualTo("42");
        assertThat(result.parts()).containsExactly(new ToolResult.Part.Text("42"));
        assertThat(result.durationMs()).isBetween(0L, 1_500L);
        assertThat(call("kit__echo", "{\"text\": \"héllo 👋\"}").text()).isEqualTo("héllo 👋");
    }

    @Test
    void should_pass_on_a_tools_own_error_result_and_a_servers_error_as_error_results() {
        ToolResult failed = call("kit__fail", "{}");
        assertThat(failed.isError()).isTrue();
        assertThat(failed.text()).isEqualTo("it failed on purpose");

        ToolResult exploded = call("kit__explode", "");
        assertThat(exploded.isError()).isTrue();
        assertThat(exploded.text()).isEqualTo("The tool kit.explode failed: the server answered with an error: the tool exploded");
    }

    @Test
    void should_refuse_arguments_that_do_not_fit_before_calling() {
        int before = tools.requests().size();
        assertThat(call("kit__add", "{\"a\": 1,")).satisfies(r -> {
            assertThat(r.isError()).isTrue();
            assertThat(r.text()).startsWith("The arguments are not valid JSON");
        });
        assertThat(call("kit__add", "[1, 2]").text()).isEqualTo("The arguments must be a JSON object, got an array.");
        assertThat(call("kit__add", "{}").text()).isEqualTo("The arguments do not fit the tool's schema: 'a' is required; 'b' is required.");
        assertThat(call("kit__add", "{\"a\": \"one\", \"b\": 2}").text())
                .isEqualTo("The arguments do not fit the tool's schema: 'a' must be a number, got a string.");
        assertThat(call("kit__sleep", "{\"ms\": 1.5}").text()).contains("'ms' must be an integer, got a number");
        assertThat(tools.requests()).as("nothing was sent").hasSize(before);
    }

    @Test
    void should_answer_unknown_and_unoffered_tools_with_an_error_result() {
        assertThat(call("kit__nope", "{}").text()).isEqualTo("There is no tool named 'kit__nope'. Use one of the tools you were given.");
        ToolSet onlyEcho = server.tools().tools(ToolPatterns.parse("tools", List.of("kit.echo")));
        ToolResult notOffered = onlyEcho.call("kit__add", "{\"a\": 1, \"b\": 2}", new Cancellation());
        assertThat(notOffered.isError()).isTrue();
        assertThat(notOffered.text()).contains("no tool named 'kit__add'");
        assertThat(onlyEcho.call(null, null, new Cancellation()).isError()).isTrue();
    }

    @Test
    void should_end_a_call_at_the_servers_timeout_and_cancel_it_there() throws Exception {
        int cancelledBefore = tools.cancelled().size();
        long started = System.nanoTime();

        ToolResult result = call("kit__sleep", "{\"ms\": 10000}");

        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(result.isError()).isTrue();
        assertThat(result.text()).isEqualTo("The tool kit.sleep did not answer within 1500 ms.");
        assertThat(tookMs).isBetween(1_400L, 4_000L);
        ToolServersIT.eventually(Duration.ofSeconds(5), () -> tools.cancelled().size() > cancelledBefore);
        assertThat(call("kit__add", "{\"a\": 1, \"b\": 1}").text()).as("the session still works").isEqualTo("2");
    }

    @Test
    void should_end_a_call_at_once_when_it_is_cancelled() throws Exception {
        int cancelledBefore = tools.cancelled().size();
        Cancellation cancellation = new Cancellation();
        long started = System.nanoTime();
        CompletableFuture<ToolResult> running = CompletableFuture.supplyAsync(() -> kit().call("kit__sleep", "{\"ms\": 1400}", cancellation),
                r -> Thread.ofVirtual().start(r));
        Thread.sleep(300);

        cancellation.cancel();
        ToolResult result = running.get(5, TimeUnit.SECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_200L);
        assertThat(result.isError()).isTrue();
        assertThat(result.text()).isEqualTo("The call was cancelled.");
        ToolServersIT.eventually(Duration.ofSeconds(5), () -> tools.cancelled().size() > cancelledBefore);
    }

    @Test
    void should_not_send_a_call_that_was_cancelled_before_it_started() {
        int before = tools.requests().size();
        Cancellation already = new Cancellation();
        already.cancel();

        ToolResult result = kit().call("kit__add", "{\"a\": 1, \"b\": 1}", already);

        assertThat(result.isError()).isTrue();
        assertThat(result.text()).isEqualTo("The call was cancelled.");
        assertThat(tools.requests()).as("nothing was sent").hasSize(before);
        assertThat(call("kit__add", "{\"a\": 1, \"b\": 1}").text()).as("the session still works").isEqualTo("2");
    }

    @Test
    void should_cut_a_result_over_64_kib_with_a_note() {
        ToolResult result = call("kit__big", "{\"bytes\": 200000}");

        // Compared piece by piece: a failure should not print 64 KiB of x.
        assertThat(result.isError()).isFalse();
        assertThat(result.text().substring(0, 65_536).matches("x+")).isTrue();
        assertThat(result.text().substring(65_536)).isEqualTo("\n[The tool's result was cut to 64 KiB: it returned 200000 bytes of text.]");
        assertThat(result.text().getBytes(StandardCharsets.UTF_8).length).isBetween(64 * 1024, 64 * 1024 + 200);
        assertThat(call("kit__big", "{\"bytes\": 65536}").text().length()).as("64 KiB exactly is whole").isEqualTo(65_536);
    }

    @Test
    void should_keep_images_as_parts() {
        ToolResult result = call("kit__picture", "{}");

        assertThat(result.parts()).hasSize(2);
        assertThat(result.parts().getFirst()).isInstanceOfSatisfying(ToolResult.Part.Image.class,
                image -> assertThat(image.mimeType()).isEqualTo("image/png"));
        assertThat(result.text()).isEqualTo("a red dot");
    }

    @Test
    void should_answer_calls_to_a_server_that_went_away_with_an_error_result_and_mark_it() throws Exception {
        try (McpTestServer doomed = McpTestServer.start("streamable-http")) {
            api.post("/api/tools/servers", Map.of("name", "doomed", "url", doomed.url(), "timeoutMs", 2_000));
            JsonNodeAssert.status(api, "doomed", "connected", Duration.ofSeconds(30));
            ToolSet offered = server.tools().tools(ToolPatterns.parse("tools", List.of("doomed.*")));
            assertThat(offered.call("doomed__echo", "{\"text\": \"up\"}", new Cancellation()).text()).isEqualTo("up");
            doomed.close();

            ToolResult result = offered.call("doomed__echo", "{\"text\": \"down\"}", new Cancellation());

            assertThat(result.isError()).isTrue();
            assertThat(result.text()).startsWith("The tool server doomed could not be reached: ");
            JsonNodeAssert.status(api, "doomed", "error");
            assertThat(offered.call("doomed__echo", "{\"text\": \"down\"}", new Cancellation()).text())
                    .startsWith("The tool server doomed is not reachable");
            assertThat(server.tools().tools(ToolPatterns.parse("tools", List.of("doomed.*"))).isEmpty()).as("no longer offered").isTrue();
        }
    }

    /** Reads a tool server's status through the API. */
    private static final class JsonNodeAssert {
        static void status(Api api, String name, String expected) throws InterruptedException {
            status(api, name, expected, Duration.ofSeconds(5));
        }

        static void status(Api api, String name, String expected, Duration limit) throws InterruptedException {
            ToolServersIT.eventually(limit, () -> ToolServersIT.find(api.get("/api/tools/servers").data(), name)
                    .path("status").asText().equals(expected));
        }
    }
}
