package io.chatai.tool;

import io.chatai.core.Cancellation;
import io.chatai.testing.McpTestServer;
import io.chatai.testing.TestServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * What a tool call costs here beyond the tool server: the same echo call, sequentially over loopback to the
 * TypeScript SDK's server (Streamable HTTP), through the SDK's session alone ({@link McpConnection#call}) and through
 * the whole {@link ToolSet#call} (name lookup, argument check, call slot, cancellation, result conversion).
 * Prints p50/p90/p99 of each in microseconds. Run:
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.chatai.tool.ToolCallBench}
 */
public final class ToolCallBench {
    private static final int WARMUP = 3_000;
    private static final int CALLS = 10_000;

    private ToolCallBench() {
    }

    public static void main(String[] args) throws Exception {
        String missing = McpTestServer.missing();
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        try (McpTestServer tools = McpTestServer.start("streamable-http");
             TestServer server = TestServer.start(Map.of())) {
            server.admin().post("/api/tools/servers", Map.of("name", "kit", "url", tools.url()));
            ToolSet set = server.tools().tools(ToolPatterns.parse("tools", List.of("kit.echo")));
            String arguments = "{\"text\": \"hello from the bench\"}";
            Map<String, Object> parsed = Map.of("text", "hello from the bench");
            ToolServer config = new ToolServer("ts_bench", "bench", new ToolEndpoint.Http(tools.url(),
                    ToolEndpoint.HttpTransport.STREAMABLE_HTTP, Map.of()), true, 30_000, Set.of(), 0, 0);
            try (McpConnection session = McpConnection.open(config, () -> { })) {
                Duration timeout = Duration.ofSeconds(30);
                Supplier<Object> sdk = () -> session.call("echo", parsed, timeout, new Cancellation());
                Supplier<Object> whole = () -> set.call("kit__echo", arguments, new Cancellation());
                for (int round = 1; round <= 2; round++) { // alternated, so drift on the machine hits both
                    report("round " + round + " SDK session only", measure(sdk));
                    report("round " + round + " ToolSet.call    ", measure(whole));
                }
                // The work of this layer alone, without the network: checking the arguments and converting a result.
                var schema = set.definitions().getFirst().parameters();
                var result = session.call("echo", parsed, timeout, new Cancellation());
                long started = System.nanoTime();
                int checks = 1_000_000;
                for (int i = 0; i < checks; i++) {
                    ArgumentCheck.parse(arguments, schema);
                    ToolResults.of(result, 0);
                }
                System.out.println("argument check + result conversion: " + (System.nanoTime() - started) / checks + " ns per call");
            }
        }
    }

    private static Histogram measure(Supplier<Object> call) {
        for (int i = 0; i < WARMUP; i++) {
            call.get();
        }
        Histogram micros = new Histogram(3);
        for (int i = 0; i < CALLS; i++) {
            long started = System.nanoTime();
            Object result = call.get();
            micros.recordValue((System.nanoTime() - started) / 1_000);
            if (result instanceof ToolResult r && r.isError()) {
                throw new IllegalStateException(r.text());
            }
        }
        return micros;
    }

    private static void report(String what, Histogram micros) {
        System.out.println(what + Arrays.toString(new String[] {"p50 " + micros.getValueAtPercentile(50),
                "p90 " + micros.getValueAtPercentile(90), "p99 " + micros.getValueAtPercentile(99), "µs over " + CALLS}));
    }
}
