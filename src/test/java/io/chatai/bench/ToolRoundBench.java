package io.chatai.bench;

import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.McpTestServer;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The server's own time per tool round, without the model and the tool: a turn of {@link #ROUNDS} tool rounds
 * (the instantly answering OpenAI fake asks for the MCP test server's echo each round, then answers) against a plain
 * turn to the same fake, both over HTTP; the difference per round, minus one raw call to the fake and one raw echo
 * call to the MCP server (each measured here the same way), is what a round costs the server: building the request
 * with the grown history, the adapter both ways, routing and usage, argument check, the virtual thread, the result
 * conversion, the execution record (one database write per round) and the events. Prints medians in microseconds. Run:
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.chatai.bench.ToolRoundBench}
 */
public final class ToolRoundBench {
    private static final int ROUNDS = 8;
    private static final int WARMUP = 200;
    private static final int TURNS = 500;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ToolRoundBench() {
    }

    public static void main(String[] args) throws Exception {
        String missing = McpTestServer.missing();
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        try (McpTestServer tools = McpTestServer.start("streamable-http");
             FakeOpenAi upstream = new FakeOpenAi();
             TestServer server = TestServer.start(Map.of())) {
            Api api = server.admin();
            api.post("/api/tools/servers", Map.of("name", "kit", "url", tools.url()));
            while (!api.get("/api/tools/servers").body().contains("\"connected\"")) {
                Thread.sleep(100);
            }
            api.post("/api/presets", Map.of("id", "bench", "name", "bench", "tools", List.of("kit.echo"),
                    "maxToolRounds", ROUNDS));
            server.addChannel(upstream);
            upstream.scriptRequests(recorded -> "none".equals(upstream.received(recorded).toolChoice())
                    || upstream.received(recorded).toolNames().isEmpty()
                    ? Reply.text("done")
                    : Reply.rich(FinishReason.TOOL_CALLS, null, new Part.ToolCall("call_" + System.nanoTime(),
                    "kit__echo", "{\"text\":\"hello from the bench\"}", null)));
            String plainBody = "{\"message\":\"Go.\",\"userId\":\"%s\"}";
            String toolBody = "{\"message\":\"Go.\",\"userId\":\"%s\",\"preset\":\"bench\"}";
            String fakeBody = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Go.\"}]}";
            String echoBody = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                    + "\"arguments\":{\"text\":\"hello from the bench\"}}}";
            for (int pass = 1; pass <= 2; pass++) { // alternated, so drift on the machine hits every part
                long plain = median(() -> post(server.baseUrl() + "/api/chat", plainBody.formatted("b" + System.nanoTime()), api));
                long turn = median(() -> post(server.baseUrl() + "/api/chat", toolBody.formatted("b" + System.nanoTime()), api));
                long model = median(() -> post(upstream.baseUrl() + "/chat/completions", fakeBody, null));
                long tool = median(() -> McpEcho.call(tools.url(), echoBody));
                long perRound = (turn - plain) / ROUNDS;
                System.out.printf("pass %d: plain turn %d us, %d-round tool turn %d us, raw model call %d us, raw echo call %d us%n",
                        pass, plain, ROUNDS, turn, model, tool);
                System.out.printf("pass %d: per round %d us, of which the server's own %d us%n", pass, perRound,
                        perRound - model - tool);
            }
        }
    }

    private static long post(String url, String body, Api api) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (api != null) {
            request = api.request(url.substring(url.indexOf("/api"))).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.header("Authorization", "Bearer sk-test-0123456789");
        }
        try {
            long started = System.nanoTime();
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - started;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return took;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long median(java.util.function.LongSupplier call) {
        for (int i = 0; i < WARMUP; i++) {
            call.getAsLong();
        }
        long[] times = new long[TURNS];
        for (int i = 0; i < TURNS; i++) {
            times[i] = call.getAsLong();
        }
        Arrays.sort(times);
        return times[TURNS / 2] / 1_000;
    }

    /** One raw {@code tools/call} over Streamable HTTP on a session of its own (initialized once). */
    private static final class McpEcho {
        private static String session;

        static long call(String url, String body) {
            try {
                if (session == null) {
                    HttpResponse<String> init = HTTP.send(request(url, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
                            + "\"params\":{\"protocolVersion\":\"2025-03-26\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\","
                            + "\"version\":\"1\"}}}", null), HttpResponse.BodyHandlers.ofString());
                    session = init.headers().firstValue("mcp-session-id").orElseThrow();
                    HTTP.send(request(url, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", session),
                            HttpResponse.BodyHandlers.ofString());
                }
                long started = System.nanoTime();
                HttpResponse<String> response = HTTP.send(request(url, body, session), HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - started;
                if (!response.body().contains("hello from the bench")) {
                    throw new IllegalStateException("echo answered " + response.statusCode() + ": " + response.body());
                }
                return took;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static HttpRequest request(String url, String body, String session) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (session != null) {
                builder.header("mcp-session-id", session);
            }
            return builder.build();
        }
    }
}
