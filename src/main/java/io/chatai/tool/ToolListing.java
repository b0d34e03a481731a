package io.chatai.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Lists a server's tools ({@code tools/list}) page after page, bounded: at most {@link #MAX_TOOLS} tools and
 * {@link #MAX_PAGES} pages, stopping at a cursor seen before, so a server that pages forever costs a few requests.
 * Each tool is checked: a name a provider would refuse, a duplicate, or a schema over {@link #MAX_SCHEMA_CHARS} is
 * skipped with the reason in {@link Discovery#warnings}; a description is cut to {@link #MAX_DESCRIPTION}
 * characters. Stateless.
 */
final class ToolListing {
    static final int MAX_TOOLS = 512;
    static final int MAX_PAGES = 64;
    /** Descriptions go to the model with every turn that offers the tool. */
    static final int MAX_DESCRIPTION = 4096;
    static final int MAX_SCHEMA_CHARS = 32 * 1024;
    /** Warnings kept for the server's status; more are counted. */
    static final int MAX_WARNINGS = 20;

    private ToolListing() {
    }

    /** What a listing found: the tools offered, and what was left out and why. */
    record Discovery(List<ToolInfo> tools, List<String> warnings) {
        Discovery {
            tools = List.copyOf(tools);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Lists every page through {@code page} (the cursor in, one page out; it blocks, bounded by the caller's
     * timeout) and checks the tools for the server named {@code server}.
     */
    static Discovery list(String server, Function<String, McpSchema.ListToolsResult> page) {
        List<ToolInfo> tools = new ArrayList<>();
        Warnings warnings = new Warnings();
        Set<String> names = new HashSet<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        for (int pages = 1; ; pages++) {
            McpSchema.ListToolsResult result = page.apply(cursor);
            for (McpSchema.Tool tool : result.tools() == null ? List.<McpSchema.Tool>of() : result.tools()) {
                if (tools.size() >= MAX_TOOLS) {
                    warnings.add("the server lists more than " + MAX_TOOLS + " tools; only the first " + MAX_TOOLS + " are offered");
                    return new Discovery(tools, warnings.list());
                }
                String problem = problem(server, tool, names);
                ObjectNode schema = null;
                if (problem == null) {
                    try {
                        schema = schema(tool.inputSchema());
                    } catch (SchemaTooLarge e) {
                        problem = "its input schema is larger than " + MAX_SCHEMA_CHARS / 1024 + " KiB";
                    } catch (RuntimeException e) { // nested deeper than any request to this server may be
                        problem = "its input schema cannot be read (" + e.getClass().getSimpleName() + ")";
                    }
                }
                if (problem != null) {
                    warnings.add("tool '" + shortName(tool.name()) + "' is skipped: " + problem);
                } else {
                    names.add(tool.name());
                    tools.add(new ToolInfo(tool.name(), description(tool), schema));
                }
            }
            cursor = result.nextCursor();
            if (cursor == null || cursor.isEmpty()) {
                return new Discovery(tools, warnings.list());
            }
            if (!cursors.add(cursor) || pages >= MAX_PAGES) {
                warnings.add("the server's tool list did not end after " + pages + " pages; the tools found so far are offered");
                return new Discovery(tools, warnings.list());
            }
        }
    }

    private static String problem(String server, McpSchema.Tool tool, Set<String> names) {
        String problem = ToolNames.toolProblem(server, tool.name());
        if (problem != null) {
            return problem;
        }
        if (names.contains(tool.name())) {
            return "the server lists it twice";
        }
        return null;
    }

    private static String description(McpSchema.Tool tool) {
        String text = tool.description() != null ? tool.description() : tool.title() != null ? tool.title() : "";
        if (text.codePointCount(0, text.length()) <= MAX_DESCRIPTION) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, MAX_DESCRIPTION - 1)) + "…";
    }

    /** The schema as the server gave it; a missing one is an object without properties (MCP's rule for no arguments). */
    private static ObjectNode schema(Map<String, Object> inputSchema) {
        if (inputSchema == null || inputSchema.isEmpty()) {
            ObjectNode empty = Json.MAPPER.createObjectNode();
            empty.put("type", "object");
            empty.putObject("properties");
            return empty;
        }
        ObjectNode schema = Json.MAPPER.valueToTree(inputSchema);
        if (Json.writeString(schema).length() > MAX_SCHEMA_CHARS) {
            throw new SchemaTooLarge();
        }
        return schema;
    }

    private static String shortName(String name) {
        if (name == null) {
            return "";
        }
        return name.length() <= 100 ? name : name.substring(0, 100) + "…";
    }

    /** At most {@link #MAX_WARNINGS} messages, then a count. */
    private static final class Warnings {
        private final List<String> messages = new ArrayList<>();
        private int more;

        void add(String message) {
            if (messages.size() < MAX_WARNINGS) {
                messages.add(message);
            } else {
                more++;
            }
        }

        List<String> list() {
            if (more == 0) {
                return messages;
            }
            List<String> all = new ArrayList<>(messages);
            all.add("and " + more + " more");
            return all;
        }
    }

    /** A schema over {@link #MAX_SCHEMA_CHARS}. */
    private static final class SchemaTooLarge extends RuntimeException {
        SchemaTooLarge() {
            super(null, null, false, false);
        }
    }
}
