package io.chatai.tool;

import io.chatai.core.Secrets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How tool servers and tools are shown. Servers (admin only): header and environment values masked, with the live
 * status. Tools (any key): name, description, parameters, server name and switch; never a URL, header or command.
 * Stateless.
 */
public final class ToolServerView {
    private ToolServerView() {
    }

    public static Map<String, Object> of(ToolServer server, ServerStatus status) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", server.id());
        view.put("name", server.name());
        view.put("transport", server.endpoint().transportName());
        switch (server.endpoint()) {
            case ToolEndpoint.Http http -> {
                view.put("url", http.url());
                view.put("headers", masked(http.headers()));
                view.put("command", null);
                view.put("env", Map.of());
            }
            case ToolEndpoint.Stdio stdio -> {
                view.put("url", null);
                view.put("headers", Map.of());
                view.put("command", stdio.command());
                view.put("env", masked(stdio.env()));
            }
        }
        view.put("enabled", server.enabled());
        view.put("timeoutMs", server.timeoutMs());
        view.put("status", status.state().name().toLowerCase(Locale.ROOT));
        view.put("error", status.error());
        view.put("toolCount", status.tools().size());
        view.put("connectedVia", status.via());
        view.put("warnings", status.warnings());
        view.put("createdAt", server.createdAt());
        view.put("updatedAt", server.updatedAt());
        return view;
    }

    public static Map<String, Object> of(ToolCatalog.Entry entry) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", entry.name());
        view.put("description", entry.tool().description());
        view.put("parameters", entry.tool().parameters());
        view.put("server", entry.server());
        view.put("enabled", entry.enabled());
        return view;
    }

    public static List<Map<String, Object>> tools(ToolCatalog catalog) {
        return catalog.entries().stream().map(ToolServerView::of).toList();
    }

    private static Map<String, String> masked(Map<String, String> secrets) {
        Map<String, String> masked = new LinkedHashMap<>();
        secrets.forEach((name, value) -> masked.put(name, Secrets.mask(value)));
        return masked;
    }
}
