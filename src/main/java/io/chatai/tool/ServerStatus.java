package io.chatai.tool;

import java.util.List;

/**
 * The live state of one tool server on this instance. Immutable.
 *
 * @param error       the last error's text while not connected, else null
 * @param tools       the tools of the last listing (kept while the server is unreachable, so the admin still sees them)
 * @param warnings    tools left out of the last listing and why
 * @param via         the transport of the current session, or null
 */
public record ServerStatus(State state, String error, List<ToolInfo> tools, List<String> warnings, String via) {
    public ServerStatus {
        tools = List.copyOf(tools);
        warnings = List.copyOf(warnings);
    }

    /** Where a server stands; the API shows it lower-cased. */
    public enum State {
        /** Its first connection is being made. */
        CONNECTING,
        CONNECTED,
        /** Not reachable, or refused: retried in the background. */
        ERROR,
        /** Turned off by the admin. */
        DISABLED
    }

    static ServerStatus connecting() {
        return new ServerStatus(State.CONNECTING, null, List.of(), List.of(), null);
    }

    static ServerStatus disabled() {
        return new ServerStatus(State.DISABLED, null, List.of(), List.of(), null);
    }

    ServerStatus failed(String message) {
        return new ServerStatus(State.ERROR, message, tools, warnings, null);
    }

    static ServerStatus connected(ToolListing.Discovery discovery, String via) {
        return new ServerStatus(State.CONNECTED, null, discovery.tools(), discovery.warnings(), via);
    }
}
