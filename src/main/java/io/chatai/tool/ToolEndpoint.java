package io.chatai.tool;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a tool server is reached: over HTTP (Streamable HTTP or the older HTTP+SSE transport), or as a local
 * command speaking MCP on its standard input and output. Holds secrets in clear (header and environment
 * values); never serialised as is. Immutable.
 */
public sealed interface ToolEndpoint {

    /** The transport name shown in the API: {@code auto}, {@code streamable-http}, {@code sse} or {@code stdio}. */
    String transportName();

    /**
     * An MCP server at a URL.
     *
     * @param transport which HTTP transport to speak; {@link HttpTransport#AUTO} tries Streamable HTTP first
     * @param headers   sent with every request to this server, and nothing else of ours is
     */
    record Http(String url, HttpTransport transport, Map<String, String> headers) implements ToolEndpoint {
        public Http {
            headers = Map.copyOf(headers);
        }

        @Override
        public String transportName() {
            return transport.wireName();
        }

        @Override
        public String toString() {
            return "Http[" + url + " " + transport.wireName() + "]"; // never the header values
        }
    }

    /**
     * A local command: the program and its arguments; {@code env} is added to the few variables a program needs
     * (PATH, HOME and the like), never the server's own environment.
     */
    record Stdio(List<String> command, Map<String, String> env) implements ToolEndpoint {
        public Stdio {
            command = List.copyOf(command);
            env = Map.copyOf(env);
        }

        @Override
        public String transportName() {
            return "stdio";
        }

        @Override
        public String toString() {
            return "Stdio[" + command.getFirst() + "]"; // arguments and environment may carry secrets
        }
    }

    /** The HTTP transports. */
    enum HttpTransport {
        /** Streamable HTTP, falling back to HTTP+SSE when the server answers like an SSE-only server. */
        AUTO,
        STREAMABLE_HTTP,
        SSE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Optional<HttpTransport> of(String wireName) {
            for (HttpTransport transport : values()) {
                if (transport.wireName().equals(wireName)) {
                    return Optional.of(transport);
                }
            }
            return Optional.empty();
        }
    }
}
