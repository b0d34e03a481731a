package io.chatai.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MCP server for the tool tests: {@code src/test/mcp/server.mjs}, built on the official TypeScript SDK and
 * run by Node.js, over Streamable HTTP or HTTP+SSE on a loopback port (or over stdio, started by the server under
 * test through {@link #stdioCommand}). Its {@code /control} routes show what it received: every request with its
 * headers, the calls cancelled, and add a tool at runtime. The Maven build installs its npm packages; without
 * Node.js 20+ or them, {@link #assumeAvailable} skips the test saying what to install. Its output goes to the test log.
 */
public final class McpTestServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(McpTestServer.class);
    public static final Path DIR = Path.of("src/test/mcp");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final String transport;
    private final int port;

    private McpTestServer(Process process, String transport, int port) {
        this.process = process;
        this.transport = transport;
        this.port = port;
    }

    /** Skips the calling test, saying what to install, unless Node.js 20+ and the server's npm packages are there. */
    public static void assumeAvailable() {
        String missing = missing();
        assumeTrue(missing == null, missing);
    }

    /** Null when the MCP test server can run, else what is missing. */
    public static String missing() {
        String version = NodeTools.version();
        if (version == null) {
            return "The MCP tool server tests need Node.js 20+, which is not on the PATH: apt-get install -y nodejs npm "
                    + "(./mvnw verify then installs the npm packages; .ci/run does both)";
        }
        if (!NodeTools.atLeast20(version)) {
            return "The MCP tool server tests need Node.js 20+, found " + version;
        }
        if (!Files.isDirectory(DIR.resolve("node_modules/@modelcontextprotocol/sdk"))) {
            return "The npm packages of " + DIR + " are not installed: the Maven build runs npm ci there when npm is on the PATH";
        }
        return null;
    }

    /** Starts a server on a free port: {@code transport} is {@code streamable-http} or {@code sse}; options as in server.mjs. */
    public static McpTestServer start(String transport, String... options) {
        return start(freePort(), transport, options);
    }

    /** Starts a server on the given port (a test that brings a server up late picks the port first). */
    public static McpTestServer start(int port, String transport, String... options) {
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve("server.mjs").toAbsolutePath().toString(),
                "--transport", transport, "--port", String.valueOf(port)));
        command.addAll(List.of(options));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<Void> listening = new CompletableFuture<>();
            Thread.ofVirtual().name("mcp-test-server-" + port).start(() -> readOutput(process, listening));
            listening.get(20, TimeUnit.SECONDS);
            return new McpTestServer(process, transport, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("The MCP test server did not start on port " + port, e);
        }
    }

    private static void readOutput(Process process, CompletableFuture<Void> listening) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                LOG.info("mcp test server: {}", line);
                if (line.startsWith("listening ")) {
                    listening.complete(null);
                }
            }
        } catch (IOException e) {
            LOG.info("mcp test server output ended: {}", e.toString());
        } finally {
            listening.completeExceptionally(new IllegalStateException("the process ended before it listened"));
        }
    }

    /** The command that runs the server over stdio, for a tool server's {@code command}. */
    public static List<String> stdioCommand(String... options) {
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve("server.mjs").toAbsolutePath().toString(), "--transport", "stdio"));
        command.addAll(List.of(options));
        return command;
    }

    public int port() {
        return port;
    }

    /** The MCP endpoint: {@code /mcp} for Streamable HTTP, {@code /sse} for HTTP+SSE. */
    public String url() {
        return "http://127.0.0.1:" + port + (transport.equals("sse") ? "/sse" : "/mcp");
    }

    /** Every MCP request received so far: {@code method}, {@code path}, {@code headers} (names lower-cased). */
    public List<JsonNode> requests() {
        return list(control("GET", "/control/requests", null));
    }

    /** The tool calls the client cancelled (notifications/cancelled reached the tool). */
    public List<JsonNode> cancelled() {
        return list(control("GET", "/control/cancelled", null));
    }

    /** Adds a tool and notifies every session that the tool list changed. */
    public void addTool(String name) {
        control("POST", "/control/add-tool", "{\"name\": \"" + name + "\"}");
    }

    private JsonNode control(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return JSON.readTree(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    /** A port for a server to come up on later. */
    public static int freePort() {
        return ServerProcess.freePort();
    }

    /** Stops the server (and waits for it). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
