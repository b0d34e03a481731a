package io.chatai.tool;

import io.chatai.core.Cancellation;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One initialized MCP session with one tool server, through the SDK's client: opened (transport chosen, initialize,
 * capabilities checked), asked for its tools, called, pinged, closed. It declares no client capability (no roots,
 * sampling or elicitation), so a tool server cannot make this server call a model or read anything; the server's
 * {@code instructions} are ignored (they would be instructions to the model from a tool server). Thread-safe.
 */
final class McpConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(McpConnection.class);
    /** Connecting and listing never take longer than this, whatever a server's call timeout. */
    static final Duration MAX_SETUP = Duration.ofSeconds(60);
    /** A local program may download itself first ({@code npx -y}): it gets at least this long to answer. */
    static final Duration STDIO_SETUP = Duration.ofSeconds(60);
    private static final McpSchema.Implementation CLIENT = new McpSchema.Implementation("chatai-server", "ChatAI Server", "1");
    /** Results are bounded by size here, not validated against output schemas. */
    private static final JsonSchemaValidator NO_VALIDATION = (schema, content) -> JsonSchemaValidator.ValidationResponse.asValid(null);

    private final McpAsyncClient client;
    private final TransportTap tap;
    private final String via;
    private final Duration setup;
    private final CompletableFuture<Void> ended;
    private final OwnedHttpClients httpClients;

    private McpConnection(McpAsyncClient client, TransportTap tap, String via, Duration setup, CompletableFuture<Void> ended,
                          OwnedHttpClients httpClients) {
        this.client = client;
        this.tap = tap;
        this.via = via;
        this.setup = setup;
        this.ended = ended;
        this.httpClients = httpClients;
    }

    /** Completes when the session cannot work any more on its own: a local program has ended. Never for HTTP. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** How this session was reached: {@code streamable-http}, {@code sse} or {@code stdio}. */
    String via() {
        return via;
    }

    /**
     * Connects and initializes. With {@code auto}, Streamable HTTP is tried first and HTTP+SSE when the server
     * answered but not as a Streamable HTTP server would (405, 404, an unexpected content type): MCP's advice for
     * servers of either kind. Throws {@link ToolServerException} with a line for the server's status.
     */
    static McpConnection open(ToolServer server, Runnable onToolsChanged) {
        Duration timeout = Duration.ofMillis(server.timeoutMs());
        Duration setup = min(timeout, MAX_SETUP);
        Duration connect = min(setup, McpTransports.MAX_CONNECT);
        Collection<String> secrets = secrets(server.endpoint());
        return switch (server.endpoint()) {
            case ToolEndpoint.Stdio stdio -> {
                McpTransports.StderrTail stderr = new McpTransports.StderrTail();
                CompletableFuture<Void> ended = new CompletableFuture<>();
                Duration start = setup.compareTo(STDIO_SETUP) < 0 ? STDIO_SETUP : setup;
                try {
                    yield initialize(McpTransports.stdio(stdio, stderr, ended), "stdio", timeout, start, onToolsChanged, ended,
                            new OwnedHttpClients());
                } catch (RuntimeException e) {
                    if (ended.isCompletedExceptionally()) {
                        throw new ToolServerException(ToolFailures.clean("could not start '" + stdio.command().getFirst() + "': "
                                + ToolFailures.describe(e, secrets), secrets));
                    }
                    String said = ended.isDone() ? stderr.textSoon() : stderr.text();
                    throw new ToolServerException(ToolFailures.describe(e, secrets)
                            + (said.isEmpty() ? "" : " (the program wrote: " + ToolFailures.clean(said, secrets) + ")"));
                }
            }
            case ToolEndpoint.Http http -> switch (http.transport()) {
                case STREAMABLE_HTTP -> attempt(clients -> McpTransports.streamableHttp(http, connect, clients), "streamable-http",
                        timeout, setup, onToolsChanged, secrets);
                case SSE -> attempt(clients -> McpTransports.sse(http, connect, clients), "sse", timeout, setup, onToolsChanged, secrets);
                case AUTO -> {
                    try {
                        OwnedHttpClients clients = new OwnedHttpClients();
                        yield initialize(McpTransports.streamableHttp(http, connect, clients), "streamable-http", timeout, setup,
                                onToolsChanged, new CompletableFuture<>(), clients);
                    } catch (RuntimeException streamable) {
                        if (!answeredAsAnotherKind(streamable)) {
                            throw new ToolServerException(ToolFailures.describe(streamable, secrets));
                        }
                        try {
                            OwnedHttpClients clients = new OwnedHttpClients();
                            yield initialize(McpTransports.sse(http, connect, clients), "sse", timeout, setup, onToolsChanged,
                                    new CompletableFuture<>(), clients);
                        } catch (RuntimeException sse) {
                            throw new ToolServerException("Streamable HTTP: " + ToolFailures.describe(streamable, secrets)
                                    + "; HTTP+SSE: " + ToolFailures.describe(sse, secrets));
                        }
                    }
                }
            };
        };
    }

    private static McpConnection attempt(Function<OwnedHttpClients, McpClientTransport> transport, String via, Duration timeout,
                                         Duration setup, Runnable onToolsChanged, Collection<String> secrets) {
        try {
            OwnedHttpClients clients = new OwnedHttpClients();
            return initialize(transport.apply(clients), via, timeout, setup, onToolsChanged, new CompletableFuture<>(), clients);
        } catch (RuntimeException e) {
            throw new ToolServerException(ToolFailures.describe(e, secrets));
        }
    }

    /** The server answered over HTTP, but not as a Streamable HTTP server: worth trying HTTP+SSE. */
    private static boolean answeredAsAnotherKind(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof McpHttpClientTransportAuthorizationException) {
                return false; // 401/403: the same refusal over any transport
            }
            if (cause instanceof McpTransportException) {
                return true;
            }
        }
        return false;
    }

    /** Initializes over {@code transport}; waits up to {@code setup}, or until {@code ended} says no answer can come. */
    private static McpConnection initialize(McpClientTransport transport, String via, Duration timeout, Duration setup,
                                            Runnable onToolsChanged, CompletableFuture<Void> ended, OwnedHttpClients httpClients) {
        TransportTap tap = new TransportTap(transport, onToolsChanged);
        McpAsyncClient client = McpClient.async(tap)
                .clientInfo(CLIENT)
                .capabilities(McpSchema.ClientCapabilities.builder().build())
                .requestTimeout(timeout)
                .initializationTimeout(setup)
                .jsonSchemaValidator(NO_VALIDATION)
                .build();
        try {
            CompletableFuture<McpSchema.InitializeResult> initialized = client.initialize().toFuture();
            CompletableFuture.anyOf(initialized, ended).get(setup.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            if (!initialized.isDone()) {
                throw new ToolServerException("the program ended before it answered");
            }
            McpSchema.InitializeResult result = initialized.join();
            if (result == null || result.capabilities() == null || result.capabilities().tools() == null) {
                throw new ToolServerException("the server offers no tools (its initialize answer has no tools capability)");
            }
            return new McpConnection(client, tap, via, setup, ended, httpClients);
        } catch (ExecutionException e) {
            closeQuietly(client, httpClients);
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            closeQuietly(client, httpClients);
            throw new ToolServerException("no answer to initialize within " + setup.toMillis() + " ms");
        } catch (InterruptedException e) {
            closeQuietly(client, httpClients);
            Thread.currentThread().interrupt();
            throw new ToolServerException("interrupted while connecting");
        } catch (RuntimeException e) {
            closeQuietly(client, httpClients);
            throw e;
        }
    }

    /** Lists the tools ({@link ToolListing}); all pages together within the setup time. */
    ToolListing.Discovery listTools(String serverName) {
        long deadline = System.nanoTime() + setup.toNanos();
        return ToolListing.list(serverName, cursor -> {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ToolServerException("listing the tools took longer than " + setup.toMillis() + " ms");
            }
            McpSchema.ListToolsResult page = client.listTools(cursor).block(Duration.ofNanos(left));
            if (page == null) {
                throw new ToolServerException("the server answered tools/list with nothing");
            }
            return page;
        });
    }

    void ping(Duration timeout) {
        client.ping().block(timeout);
    }

    /**
     * Calls a tool and waits up to {@code timeout}; a cancel of {@code cancellation} ends the wait at once. A call
     * abandoned either way is cancelled at the server too. Failures come as {@link CallFailure}.
     */
    McpSchema.CallToolResult call(String tool, Map<String, Object> arguments, Duration timeout, Cancellation cancellation) {
        McpSchema.CallToolRequest request = new McpSchema.CallToolRequest(tool, arguments, null);
        tap.track(request);
        CompletableFuture<McpSchema.CallToolResult> result = client.callTool(request).toFuture();
        Runnable cancel = () -> result.cancel(false);
        cancellation.onCancel(cancel);
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            result.cancel(false);
            tap.cancel(request, "timed out after " + timeout.toMillis() + " ms");
            throw new CallFailure(CallFailure.Kind.TIMEOUT, e);
        } catch (CancellationException e) {
            tap.cancel(request, "cancelled by the client");
            throw new CallFailure(CallFailure.Kind.CANCELLED, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(false);
            tap.cancel(request, "cancelled by the client");
            throw new CallFailure(CallFailure.Kind.CANCELLED, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (ToolFailures.serverError(cause) != null) {
                throw new CallFailure(CallFailure.Kind.SERVER_ERROR, cause);
            }
            if (ToolFailures.isTimeout(cause)) {
                tap.cancel(request, "timed out after " + timeout.toMillis() + " ms");
                throw new CallFailure(CallFailure.Kind.TIMEOUT, cause);
            }
            throw new CallFailure(CallFailure.Kind.TRANSPORT, cause);
        } finally {
            cancellation.forget(cancel);
            tap.forget(request);
        }
    }

    /**
     * Ends the session: the HTTP session is deleted and the connections closed, or a local program stopped. Waits at
     * most 5 s for the server.
     */
    @Override
    public void close() {
        closeQuietly(client, httpClients);
    }

    private static void closeQuietly(McpAsyncClient client, OwnedHttpClients httpClients) {
        try {
            client.closeGracefully().block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("A tool server session did not close cleanly", e);
            client.close();
        } finally {
            httpClients.close();
        }
    }

    /** The values a server's errors must never show: its header or environment values. */
    static Collection<String> secrets(ToolEndpoint endpoint) {
        return switch (endpoint) {
            case ToolEndpoint.Http http -> List.copyOf(http.headers().values());
            case ToolEndpoint.Stdio stdio -> new ArrayList<>(stdio.env().values());
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Why a call did not give a result. */
    static final class CallFailure extends RuntimeException {
        enum Kind { TIMEOUT, CANCELLED, SERVER_ERROR, TRANSPORT }

        private final Kind kind;

        CallFailure(Kind kind, Throwable cause) {
            super(cause == null ? kind.name() : cause.getMessage(), cause, false, false);
            this.kind = kind;
        }

        Kind kind() {
            return kind;
        }
    }
}
