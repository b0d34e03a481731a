package io.chatai.tool;

import io.chatai.core.ApiException;
import io.chatai.core.ConfiguredHeaders;
import io.chatai.core.JsonBody;
import io.chatai.core.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates tool server fields from a request body and merges them onto a stored server. {@code PUT} merges:
 * omitted fields keep their value, {@code null} clears {@code url} or {@code command} (to switch a server between
 * HTTP and a local program), and header or environment values sent back masked (as reads show them) keep the
 * secret they stand for. Local programs are refused unless {@code CHATAI_ALLOW_STDIO_TOOLS=true}. Immutable.
 */
public final class ToolServerForm {
    public static final int MIN_TIMEOUT_MS = 100;
    public static final int MAX_TIMEOUT_MS = 600_000;
    /** Set by HTTP or by the MCP transport itself; the JDK's client refuses some of them outright. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "expect", "upgrade", "content-type", "accept", "cache-control", "mcp-session-id", "mcp-protocol-version", "last-event-id");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private final boolean allowStdio;

    /** @param allowStdio {@code CHATAI_ALLOW_STDIO_TOOLS}: whether a server may be a local command */
    public ToolServerForm(boolean allowStdio) {
        this.allowStdio = allowStdio;
    }

    public ToolServer create(JsonBody body, long now) {
        String name = ToolNames.validServer(body.requiredString("name", ToolNames.MAX_SERVER_NAME));
        if (!body.has("url") && !body.has("command")) {
            throw ApiException.invalid("url is required (or command, for a local program speaking MCP over stdio)");
        }
        ToolServer server = new ToolServer(Secrets.newToken("ts_", 16), name, endpoint(null, body), true,
                ToolServer.DEFAULT_TIMEOUT_MS, Set.of(), now, now);
        return common(server, body);
    }

    public ToolServer merge(ToolServer base, JsonBody body, long now) {
        ToolServer server = base;
        if (body.has("name")) {
            server = server.withName(ToolNames.validServer(body.requiredString("name", ToolNames.MAX_SERVER_NAME)));
        }
        if (body.present("url") || body.present("command") || body.has("transport") || body.has("headers") || body.has("env")) {
            server = server.withEndpoint(endpoint(base.endpoint(), body));
        }
        return common(server, body).updatedAt(now);
    }

    /** Whether servers may be local programs here ({@code CHATAI_ALLOW_STDIO_TOOLS}). */
    public boolean allowsStdio() {
        return allowStdio;
    }

    /** Whether a server of this endpoint may run here; stored local programs stay off while the flag is unset. */
    public boolean allows(ToolEndpoint endpoint) {
        return allowStdio || !(endpoint instanceof ToolEndpoint.Stdio);
    }

    private static ToolServer common(ToolServer server, JsonBody body) {
        if (body.has("enabled")) {
            server = server.withEnabled(body.optionalBoolean("enabled"));
        }
        if (body.has("timeoutMs")) {
            server = server.withTimeoutMs(body.optionalInteger("timeoutMs", MIN_TIMEOUT_MS, MAX_TIMEOUT_MS));
        }
        return server;
    }

    /** The endpoint the body describes, over {@code base} (null for a new server). */
    private ToolEndpoint endpoint(ToolEndpoint base, JsonBody body) {
        String url = body.present("url") ? body.optionalString("url", 2048) : base instanceof ToolEndpoint.Http http ? http.url() : null;
        List<String> command = body.present("command") ? body.optionalStringList("command", 64, 4096)
                : base instanceof ToolEndpoint.Stdio stdio ? stdio.command() : null;
        String transport = body.optionalString("transport", 32);
        if (url != null && command != null) {
            throw ApiException.invalid("A tool server has a url (HTTP) or a command (a local program), not both; "
                    + "send \"url\": null or \"command\": null to drop the other");
        }
        if (url == null && command == null) {
            throw ApiException.invalid("A tool server needs a url (HTTP) or a command (a local program)");
        }
        if (command != null) {
            return stdio(base, body, command, transport);
        }
        if (body.has("env")) {
            throw ApiException.invalid("env applies to local programs (command); an HTTP server gets headers");
        }
        ToolEndpoint.HttpTransport kind = transport == null
                ? base instanceof ToolEndpoint.Http http ? http.transport() : ToolEndpoint.HttpTransport.AUTO
                : ToolEndpoint.HttpTransport.of(transport).orElseThrow(() -> ApiException.invalid(
                        "transport must be auto, streamable-http or sse for a url (stdio needs a command), got '" + transport + "'"));
        Map<String, String> stored = base instanceof ToolEndpoint.Http http ? http.headers() : Map.of();
        Map<String, String> headers = body.has("headers")
                ? ConfiguredHeaders.merge(body.optionalStringMap("headers", 50, 4096), stored, RESERVED_HEADERS) : stored;
        return new ToolEndpoint.Http(httpUrl(url), kind, headers);
    }

    private ToolEndpoint stdio(ToolEndpoint base, JsonBody body, List<String> command, String transport) {
        if (!allowStdio) {
            throw ApiException.invalid("Tool servers that are local programs (command) run on this server's host, so they are off; "
                    + "set CHATAI_ALLOW_STDIO_TOOLS=true to allow them");
        }
        if (command.isEmpty()) {
            throw ApiException.invalid("command must name the program to run, then its arguments");
        }
        if (transport != null && !transport.equals("stdio")) {
            throw ApiException.invalid("transport must be stdio for a command, got '" + transport + "'");
        }
        if (body.has("headers")) {
            throw ApiException.invalid("headers apply to HTTP servers (url); a local program gets env");
        }
        Map<String, String> stored = base instanceof ToolEndpoint.Stdio stdio ? stdio.env() : Map.of();
        Map<String, String> env = body.has("env") ? env(body.optionalStringMap("env", 100, 8192), stored) : stored;
        return new ToolEndpoint.Stdio(command, env);
    }

    static String httpUrl(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw ApiException.invalid("url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw ApiException.invalid("url must be an http:// or https:// URL with a host, got '" + value + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.invalid("url must not hold credentials; put them in headers, which are kept secret");
        }
        if (uri.getRawFragment() != null) {
            throw ApiException.invalid("url must not have a #fragment");
        }
        return value;
    }

    private static Map<String, String> env(Map<String, String> sent, Map<String, String> stored) {
        Map<String, String> env = new LinkedHashMap<>();
        sent.forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches()) {
                throw ApiException.invalid("env names are letters, digits and '_', not starting with a digit; got '" + name + "'");
            }
            env.put(name, ConfiguredHeaders.unmasked(value, stored.get(name)));
        });
        return env;
    }
}
