package io.chatai.tool;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * Builds the SDK's transports for one endpoint, bounded: every response body and SSE event, and every line a local
 * program writes on its output, is at most {@link #MAX_MESSAGE_BYTES}; JSON nests at most 64 deep; connecting over
 * HTTP waits at most {@link #MAX_CONNECT}. The only headers sent are the transport's own and the server's configured
 * ones: nothing of a caller's request reaches a tool server. Stateless.
 */
final class McpTransports {
    static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
    static final Duration MAX_CONNECT = Duration.ofSeconds(10);
    /** One mapper for every tool server: a tools/list page or a result of a hostile server cannot nest without end. */
    static final McpJsonMapper JSON = new JacksonMcpJsonMapper(JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build());

    private McpTransports() {
    }

    static McpClientTransport streamableHttp(ToolEndpoint.Http endpoint, Duration connect, OwnedHttpClients clients) {
        URI uri = URI.create(endpoint.url());
        return HttpClientStreamableHttpTransport.builder(origin(uri))
                .endpoint(pathAndQuery(uri))
                .jsonMapper(JSON)
                .clientBuilder(clients.builder())
                .connectTimeout(connect)
                .requestBuilder(headers(endpoint.headers()))
                .maxResponseSize(MAX_MESSAGE_BYTES)
                .build();
    }

    @SuppressWarnings("deprecation") // the SDK keeps the older HTTP+SSE transport for servers that have no other
    static McpClientTransport sse(ToolEndpoint.Http endpoint, Duration connect, OwnedHttpClients clients) {
        URI uri = URI.create(endpoint.url());
        return HttpClientSseClientTransport.builder(origin(uri))
                .sseEndpoint(pathAndQuery(uri))
                .jsonMapper(JSON)
                .clientBuilder(clients.builder())
                .connectTimeout(connect)
                .requestBuilder(headers(endpoint.headers()))
                .maxResponseSize(MAX_MESSAGE_BYTES)
                .build();
    }

    /**
     * A local program; its standard error goes to {@code stderr}, and {@code ended} completes when the program has
     * ended (exceptionally when it could not be started), so nobody waits for an answer that cannot come.
     */
    static McpClientTransport stdio(ToolEndpoint.Stdio endpoint, StderrTail stderr, CompletableFuture<Void> ended) {
        List<String> command = endpoint.command();
        ServerParameters parameters = ServerParameters.builder(command.getFirst())
                .args(command.subList(1, command.size()))
                .env(endpoint.env())
                .build();
        CleanEnvironmentTransport transport = new CleanEnvironmentTransport(parameters, ended);
        transport.setStdErrorHandler(stderr::add);
        return transport;
    }

    private static HttpRequest.Builder headers(Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder();
        headers.forEach(builder::header);
        return builder;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String pathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /**
     * The SDK's stdio transport, starting the program with only the variables {@link ServerParameters} names (PATH,
     * HOME, USER, LOGNAME, SHELL, TERM) and the server's {@code env}: a {@link ProcessBuilder} would otherwise
     * hand it this server's whole environment, admin key and database password included.
     */
    private static final class CleanEnvironmentTransport extends StdioClientTransport {
        private final CompletableFuture<Void> ended;

        CleanEnvironmentTransport(ServerParameters parameters, CompletableFuture<Void> ended) {
            super(parameters, JSON, MAX_MESSAGE_BYTES);
            this.ended = ended;
        }

        @Override
        protected ProcessBuilder getProcessBuilder() {
            ProcessBuilder builder = new ProcessBuilder();
            builder.environment().clear();
            return builder;
        }

        /** Starts the program, then watches for its end (the SDK itself notices only by requests timing out). */
        @Override
        public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
            return super.connect(handler)
                    .doOnSuccess(started -> Thread.ofVirtual().name("mcp-stdio-watch").start(() -> {
                        try {
                            awaitForExit();
                        } catch (RuntimeException interrupted) {
                            // the server is stopping; the program is being stopped with it
                        }
                        ended.complete(null);
                    }))
                    .doOnError(ended::completeExceptionally);
        }
    }

    /** The last lines a local program wrote on its standard error, each cut short: what its status shows. Thread-safe. */
    static final class StderrTail {
        private static final int LINES = 5;
        private static final int LINE_CHARS = 300;
        private final Deque<String> lines = new ArrayDeque<>();

        synchronized void add(String line) {
            if (lines.size() == LINES) {
                lines.removeFirst();
            }
            lines.addLast(line.length() <= LINE_CHARS ? line : line.substring(0, LINE_CHARS) + "…");
        }

        synchronized String text() {
            return String.join(" | ", lines);
        }

        /** The text once the program has ended: its last lines may still be on their way through the pipe. */
        String textSoon() {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return text();
        }
    }
}
