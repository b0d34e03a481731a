package io.chatai.tool;

import java.util.Set;

/**
 * One tool server as the admin configured it, with its secrets in clear (see {@link ToolServerView} for how it
 * is shown). Immutable.
 *
 * @param name          the prefix of its tools' names ({@link ToolNames})
 * @param timeoutMs     bounds each call to one of its tools, and (up to a minute) connecting to it
 * @param disabledTools its tools the admin turned off ({@code PUT /api/tools/:name}), by their own names
 */
public record ToolServer(String id, String name, ToolEndpoint endpoint, boolean enabled, int timeoutMs,
                         Set<String> disabledTools, long createdAt, long updatedAt) {
    public static final int DEFAULT_TIMEOUT_MS = 30_000;

    public ToolServer {
        disabledTools = Set.copyOf(disabledTools);
    }

    public boolean isStdio() {
        return endpoint instanceof ToolEndpoint.Stdio;
    }

    public ToolServer withName(String value) {
        return new ToolServer(id, value, endpoint, enabled, timeoutMs, disabledTools, createdAt, updatedAt);
    }

    public ToolServer withEndpoint(ToolEndpoint value) {
        return new ToolServer(id, name, value, enabled, timeoutMs, disabledTools, createdAt, updatedAt);
    }

    public ToolServer withEnabled(boolean value) {
        return new ToolServer(id, name, endpoint, value, timeoutMs, disabledTools, createdAt, updatedAt);
    }

    public ToolServer withTimeoutMs(int value) {
        return new ToolServer(id, name, endpoint, enabled, value, disabledTools, createdAt, updatedAt);
    }

    public ToolServer withDisabledTools(Set<String> value) {
        return new ToolServer(id, name, endpoint, enabled, timeoutMs, value, createdAt, updatedAt);
    }

    public ToolServer updatedAt(long now) {
        return new ToolServer(id, name, endpoint, enabled, timeoutMs, disabledTools, createdAt, now);
    }

    /** Whether the connection to {@code other} would be the same: where and how it is reached, and its timeout. */
    public boolean sameConnection(ToolServer other) {
        return endpoint.equals(other.endpoint) && enabled == other.enabled && timeoutMs == other.timeoutMs;
    }

    @Override
    public String toString() {
        return "ToolServer[" + id + " " + name + " " + endpoint + "]";
    }
}
