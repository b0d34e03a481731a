package io.chatai.tool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.ApiException;
import io.chatai.core.JsonBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a Claude-Desktop-style document, {@code {"mcpServers": {"<name>": {"url" | "command", "args", "env",
 * "headers", "type" | "transport", "disabled"}}}}, into tool server bodies with this API's fields: names are
 * lower-cased, {@code command} and {@code args} become one {@code command} list, {@code type} ({@code sse},
 * {@code http}, {@code streamable-http}, {@code stdio}) becomes {@code transport}, {@code disabled} becomes
 * {@code enabled}. Every field is then checked by {@link ToolServerForm}. Stateless.
 */
public final class ClaudeDesktopImport {
    /** Far more than a desktop file holds; each entry may open a connection. */
    public static final int MAX_SERVERS = 64;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ClaudeDesktopImport() {
    }

    /** One entry of the document, as this API's body, with the name it was given there. */
    public record Entry(String name, JsonBody body) {
    }

    public static List<Entry> read(JsonBody document) {
        JsonBody servers = document.optionalObject("mcpServers");
        if (servers == null) {
            throw ApiException.invalid("The body must be a Claude Desktop document: {\"mcpServers\": {\"<name>\": {\"url\": ...} | {\"command\": ...}}}");
        }
        List<String> names = servers.fieldNames();
        if (names.isEmpty() || names.size() > MAX_SERVERS) {
            throw ApiException.invalid("mcpServers must hold 1 to " + MAX_SERVERS + " servers, got " + names.size());
        }
        List<Entry> entries = new ArrayList<>();
        for (String name : names) {
            if (!(servers.node().get(name) instanceof ObjectNode entry)) {
                throw ApiException.invalid("mcpServers." + name + " must be an object");
            }
            entries.add(new Entry(name, prefixed(name, () -> body(name, new JsonBody(entry)))));
        }
        return entries;
    }

    /** Runs {@code work}, naming the entry in any 400 it gives. */
    public static <T> T prefixed(String name, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (ApiException e) {
            throw new ApiException(e.code(), "mcpServers." + name + ": " + e.getMessage(), e.details());
        }
    }

    private static JsonBody body(String name, JsonBody entry) {
        ObjectNode body = NODES.objectNode();
        body.put("name", name.toLowerCase(Locale.ROOT));
        if (entry.has("url")) {
            body.put("url", entry.requiredString("url", 2048));
        }
        if (entry.has("command")) {
            ArrayNode command = body.putArray("command");
            command.add(entry.requiredString("command", 4096));
            List<String> args = entry.optionalStringList("args", 63, 4096);
            if (args != null) {
                args.forEach(command::add);
            }
        }
        copyMap(entry, body, "env", 100, 8192);
        copyMap(entry, body, "headers", 50, 4096);
        String type = entry.has("transport") ? entry.requiredString("transport", 32) : entry.optionalString("type", 32);
        if (type != null) {
            body.put("transport", transport(type));
        }
        Boolean disabled = entry.optionalBoolean("disabled");
        if (disabled != null) {
            body.put("enabled", !disabled);
        }
        return new JsonBody(body);
    }

    private static void copyMap(JsonBody entry, ObjectNode body, String field, int maxEntries, int maxLength) {
        Map<String, String> values = entry.optionalStringMap(field, maxEntries, maxLength);
        if (values != null) {
            ObjectNode map = body.putObject(field);
            values.forEach(map::put);
        }
    }

    /** The names other clients use for the transports, as this API's. */
    private static String transport(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "http", "streamable-http", "streamablehttp", "streamable_http" -> "streamable-http";
            case "sse" -> "sse";
            case "stdio" -> "stdio";
            default -> throw ApiException.invalid("type must be http, streamable-http, sse or stdio, got '" + type + "'");
        };
    }
}
