package io.chatai.tool;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every tool this instance knows, as of the last change to any server: rebuilt whenever a server connects, fails,
 * lists again or is edited, so listing and resolving a tool read no database and take no lock. Immutable.
 */
public final class ToolCatalog {
    static final ToolCatalog EMPTY = new ToolCatalog(List.of());

    private final List<Entry> entries;
    private final Map<String, Entry> byModelName = new HashMap<>();
    private final Map<String, Entry> byName = new HashMap<>();

    /**
     * One tool of one server.
     *
     * @param enabled   the admin's switch for this tool ({@code PUT /api/tools/:name})
     * @param available whether a call can run now: the server is enabled and connected, and the tool enabled
     */
    public record Entry(String serverId, String server, ToolInfo tool, boolean enabled, boolean available) {
        public String name() {
            return ToolNames.publicName(server, tool.name());
        }

        public String modelName() {
            return ToolNames.modelName(server, tool.name());
        }

        ToolDefinition definition() {
            return new ToolDefinition(name(), modelName(), tool.description(), tool.parameters(), server);
        }
    }

    ToolCatalog(List<Entry> entries) {
        this.entries = entries.stream().sorted(Comparator.comparing(Entry::name)).toList();
        for (Entry entry : this.entries) {
            byModelName.put(entry.modelName(), entry);
            byName.put(entry.name(), entry);
        }
    }

    /** Built from the servers' configurations and live states. */
    static ToolCatalog of(List<LiveServer> servers) {
        return new ToolCatalog(servers.stream().flatMap(live -> {
            ToolServer config = live.config();
            ServerStatus status = live.status();
            boolean connected = config.enabled() && status.state() == ServerStatus.State.CONNECTED;
            return status.tools().stream().map(tool -> {
                boolean enabled = !config.disabledTools().contains(tool.name());
                return new Entry(config.id(), config.name(), tool, enabled, connected && enabled);
            });
        }).toList());
    }

    /** Every tool, by name. */
    public List<Entry> entries() {
        return entries;
    }

    public Optional<Entry> byModelName(String modelName) {
        return Optional.ofNullable(byModelName.get(modelName));
    }

    /** By {@code <server>.<tool>}. */
    public Optional<Entry> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
