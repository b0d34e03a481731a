package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.McpTestServer;
import io.chatai.testing.Received;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServerExtension;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The loop's bounds and failures, on an OpenAI-type channel and the real MCP test server: parallel calls, error
 * results the model sees, the per-round cap, rounds running out, a failure mid-loop committing nothing, and which
 * tools a preset and a request offer.
 */
class ToolLoopIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(upstream)
            .withEnv("CHATAI_KEEPALIVE_SECONDS", "1"); // a client that left is noticed within a second
    static final Api api = server.admin();
    static McpTestServer tools;

    @BeforeAll
    static void connect() throws InterruptedException {
        McpTestServer.assumeAvailable();
        tools = McpTestServer.start("streamable-http");
        ToolTurns.connect(api, "kit", tools.url());
        ToolTurns.preset(api, "kit-all", Map.of("tools", List.of("kit.*")));
        ToolTurns.preset(api, "kit-two-rounds", Map.of("tools", List.of("kit.*"), "maxToolRounds", 2));
        ToolTurns.preset(api, "kit-math", Map.of("tools", List.of("kit.add"), "toolChoice", "required"));
    }

    @AfterAll
    static void stop() {
        if (tools != null) {
            tools.close();
        }
    }

    @BeforeEach
    void channel() {
        upstream.resetScript();
        server.resetChannels(upstream);
    }

    private static Part.ToolCall call(String id, String name, String arguments) {
        return new Part.ToolCall(id, name, arguments, null);
    }

    /** Asks for these calls first; once it has results, answers with them listed. */
    private static void script(Part.ToolCall... calls) {
        upstream.scriptRequests(recorded -> {
            List<ChatMessage> messages = upstream.received(recorded).messages();
            if (messages.getLast() instanceof ChatMessage.Tool) {
                return Reply.text("done");
            }
            return Reply.rich(FinishReason.TOOL_CALLS, null, calls);
        });
    }

    private static Api.Response chat(String preset, Object tools) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("message", "Go.", "userId", ToolTurns.user(), "preset", preset));
        if (tools != null) {
            body.put("tools", tools);
        }
        return api.post("/api/chat", body);
    }

    @Test
    void should_run_one_rounds_calls_in_parallel() {
        script(call("s1", "kit__sleep", "{\"ms\":800}"), call("s2", "kit__sleep", "{\"ms\":800}"),
                call("s3", "kit__sleep", "{\"ms\":800}"));

        long started = System.nanoTime();
        Api.Response response = chat("kit-all", null);
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.data().path("toolCalls")).extracting(c -> c.path("result").asText())
                .containsExactly("slept 800", "slept 800", "slept 800");
        assertThat(tookMs).as("three 800 ms calls in one round").isLessThan(2_000);
    }

    @Test
    void should_give_the_model_error_results_for_failing_unknown_and_badly_called_tools() {
        script(call("e1", "kit__fail", "{}"), call("e2", "kit__explode", "{}"), call("e3", "nope__missing", "{}"),
                call("e4", "kit__add", "{\"a\":\"two\"}"), call("e5", "kit__add", "not json"),
                call("e6", "kit__echo", "{\"text\":\"fine\"}"));

        Api.Response response = chat("kit-all", null);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.data().path("response").asText()).isEqualTo("done");
        JsonNode calls = response.data().path("toolCalls");
        assertThat(calls).extracting(c -> c.path("isError").asBoolean()).containsExactly(true, true, true, true, true, false);
        assertThat(calls.get(0).path("result").asText()).contains("it failed on purpose");
        assertThat(calls.get(2).path("name").asText()).isEqualTo("nope__missing");
        assertThat(calls.get(2).path("result").asText()).contains("no tool named 'nope__missing'");
        assertThat(calls.get(4).path("arguments").asText()).isEqualTo("not json");
        // the model saw every result in the order it asked (OpenAI's tool messages carry no error flag: the text says it)
        List<ChatMessage> sent = upstream.received(upstream.requests().getLast()).messages();
        List<ChatMessage.Tool> results = sent.stream().filter(ChatMessage.Tool.class::isInstance)
                .map(ChatMessage.Tool.class::cast).toList();
        assertThat(results).extracting(ChatMessage.Tool::toolCallId).containsExactly("e1", "e2", "e3", "e4", "e5", "e6");
        assertThat(results).extracting(ChatMessage.Tool::text).containsExactlyElementsOf(
                calls.findValues("result").stream().map(JsonNode::asText).toList());
        assertThat(results.getLast().text()).isEqualTo("fine");
    }

    @Test
    void should_refuse_calls_over_the_per_round_cap_as_error_results() {
        List<Part.ToolCall> many = new ArrayList<>();
        for (int i = 0; i < ToolRound.MAX_CALLS_PER_ROUND + 2; i++) {
            many.add(call("c" + i, "kit__echo", "{\"text\":\"" + i + "\"}"));
        }
        script(many.toArray(Part.ToolCall[]::new));

        Api.Response response = chat("kit-all", null);

        JsonNode calls = response.data().path("toolCalls");
        assertThat(calls).hasSize(ToolRound.MAX_CALLS_PER_ROUND + 2);
        assertThat(calls.get(ToolRound.MAX_CALLS_PER_ROUND - 1).path("result").asText()).isEqualTo("15");
        assertThat(calls.get(ToolRound.MAX_CALLS_PER_ROUND).path("isError").asBoolean()).isTrue();
        assertThat(calls.get(ToolRound.MAX_CALLS_PER_ROUND + 1).path("result").asText()).contains("at most 16 run in one round");
    }

    @Test
    void should_make_one_last_call_with_tool_choice_none_when_the_rounds_run_out() {
        upstream.scriptRequests(recorded -> "none".equals(upstream.received(recorded).toolChoice())
                ? Reply.text("out of rounds, here is what I have")
                : Reply.rich(FinishReason.TOOL_CALLS, null, call("again" + System.nanoTime(), "kit__echo", "{\"text\":\"more\"}")));

        int before = upstream.requests().size();
        Api.Response response = chat("kit-two-rounds", null);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.data().path("response").asText()).isEqualTo("out of rounds, here is what I have");
        assertThat(response.data().path("toolCalls")).hasSize(2);
        List<io.chatai.testing.FakeUpstream.Recorded> turn = upstream.requests().subList(before, upstream.requests().size());
        assertThat(turn).hasSize(3);
        assertThat(turn).extracting(r -> upstream.received(r).toolChoice()).containsExactly("auto", "auto", "none");
        // the last call still lists the tools: providers refuse tool history without them
        assertThat(upstream.received(upstream.requests().getLast()).toolNames()).contains("kit__echo");
    }

    @Test
    void should_commit_nothing_when_the_model_fails_mid_loop_but_keep_the_execution_record() {
        String user = ToolTurns.user();
        upstream.scriptRequests(recorded -> upstream.received(recorded).messages().getLast() instanceof ChatMessage.Tool
                ? Reply.status(500, "upstream broke")
                : Reply.rich(FinishReason.TOOL_CALLS, null, call("x1", "kit__echo", "{\"text\":\"" + user + "\"}")));

        Api.Response response = api.post("/api/chat", Map.of("message", "Go.", "userId", user, "preset", "kit-all"));

        assertThat(response.status()).as(response.body()).isIn(502, 503);
        assertThat(api.get("/api/conversations?userId=" + user).data().path("total").asInt()).isZero();
        assertThat(TestDatabases.query(server.dataDir(), "SELECT COUNT(*) FROM messages m JOIN conversations c "
                + "ON c.id = m.conversation_id WHERE c.user_id = '" + user + "'").getFirst().getFirst()).isEqualTo("0");
        List<List<String>> executions = TestDatabases.query(server.dataDir(),
                "SELECT tool, success FROM tool_executions WHERE user_id = '" + user + "'");
        assertThat(executions).hasSize(1);
        assertThat(executions.getFirst().getFirst()).isEqualTo("kit.echo");
        assertThat(ToolTurns.isTrue(executions.getFirst().get(1))).isTrue();
    }

    @Test
    void should_cancel_the_running_tool_and_stop_the_loop_when_the_client_leaves() throws Exception {
        String user = ToolTurns.user();
        script(call("long", "kit__sleep", "{\"ms\":20000}"));
        int cancelledBefore = tools.cancelled().size();
        int callsBefore = upstream.requests().size();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = api.request("/api/chat/stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"go\",\"userId\":\"" + user
                        + "\",\"preset\":\"kit-all\"}")).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        assertThat(new String(body.readNBytes(20), StandardCharsets.UTF_8)).contains("start");
        long left = System.nanoTime();
        body.close();
        client.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (tools.cancelled().size() == cancelledBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(tools.cancelled()).as("the tool server saw its call cancelled").hasSizeGreaterThan(cancelledBefore);
        // well before the server's own 5 s timeout would have ended it
        assertThat(Duration.ofNanos(System.nanoTime() - left)).isLessThan(Duration.ofSeconds(4));
        Thread.sleep(500);
        assertThat(upstream.requests().size() - callsBefore).as("no model call after the client left").isEqualTo(1);
        assertThat(api.get("/api/conversations?userId=" + user).data().path("total").asInt()).isZero();
    }

    @Test
    void should_offer_the_presets_tools_narrowed_by_the_request_and_none_for_an_empty_list() {
        upstream.always(Reply.text("plain"));

        chat("kit-all", null);
        assertThat(received().toolNames()).contains("kit__add", "kit__echo", "kit__sleep");
        chat("kit-all", List.of("kit.echo"));
        assertThat(received().toolNames()).containsExactly("kit__echo");
        chat("kit-all", List.of());
        assertThat(received().toolNames()).isEmpty();
        assertThat(received().toolChoice()).isNull();
        chat("default", null);
        assertThat(received().toolNames()).isEmpty();
        chat("kit-math", null);
        assertThat(received().toolNames()).containsExactly("kit__add");
        assertThat(received().toolChoice()).isEqualTo("required");
    }

    @Test
    void should_refuse_a_request_that_widens_the_presets_tools() {
        Api.Response widening = chat("kit-math", List.of("kit.echo"));
        Api.Response noTools = chat("default", List.of("kit.*"));
        Api.Response malformed = chat("kit-all", List.of("kit"));

        assertThat(widening.status()).isEqualTo(400);
        assertThat(widening.json().path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(widening.json().path("error").asText()).contains("kit.echo").contains("kit.add");
        assertThat(noTools.status()).isEqualTo(400);
        assertThat(noTools.json().path("error").asText()).contains("offers no tools");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void should_validate_a_presets_tool_settings() {
        Map<String, Object> bad = Map.of("id", "bad", "name", "Bad");
        assertThat(create(bad, "tools", List.of("not a pattern")).json().path("error").asText()).contains("not a pattern");
        assertThat(create(bad, "maxToolRounds", 33).json().path("error").asText()).contains("maxToolRounds");
        assertThat(create(bad, "maxToolRounds", -1).status()).isEqualTo(400);
        assertThat(create(bad, "toolChoice", "none").json().path("error").asText()).contains("toolChoice");
        Api.Response good = create(Map.of("id", "good-tools", "name", "Good"), "tools", List.of("kit.*", "search.web_search"));
        assertThat(good.status()).isEqualTo(201);
        JsonNode stored = api.get("/api/presets/good-tools").data();
        assertThat(stored.path("tools")).extracting(JsonNode::asText).containsExactly("kit.*", "search.web_search");
        assertThat(stored.path("maxToolRounds").asInt()).isEqualTo(8);
        assertThat(stored.path("toolChoice").asText()).isEqualTo("auto");
        assertThat(api.get("/api/presets/default").data().path("tools").isNull()).isTrue();
    }

    private static Api.Response create(Map<String, Object> base, String field, Object value) {
        Map<String, Object> body = new java.util.HashMap<>(base);
        body.put(field, value);
        Api.Response response = api.post("/api/presets", body);
        if (response.status() != 201) {
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().path("code").asText()).isEqualTo("INVALID_REQUEST");
        }
        return response;
    }

    private static Received received() {
        return upstream.received(upstream.requests().getLast());
    }
}
