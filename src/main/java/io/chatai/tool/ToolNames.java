package io.chatai.tool;

import io.chatai.core.ApiException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names of tool servers and tools. A tool is {@code <server>.<tool>} in the API and in presets, and
 * {@code <server>__<tool>} to a model, since providers accept only {@code [a-zA-Z0-9_-]} (at most 64 characters,
 * and Gemini wants a letter or {@code _} first). Server names start with a letter and hold no {@code __} and no
 * trailing {@code _}, so the first {@code __} of a model's name always ends the server's: the mapping back is
 * exact, and two tools can never share a model name. Stateless.
 */
public final class ToolNames {
    /** Providers' limit on a function name (OpenAI, Anthropic and Gemini alike). */
    public static final int MAX_MODEL_NAME = 64;
    public static final int MAX_SERVER_NAME = 32;
    private static final Pattern SERVER = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String MODEL_SEPARATOR = "__";

    private ToolNames() {
    }

    /** A server name as the contract allows it, or a 400 saying what is wrong with it. */
    public static String validServer(String name) {
        String problem = serverProblem(name);
        if (problem != null) {
            throw ApiException.invalid("name " + problem + ", got '" + name + "'");
        }
        return name;
    }

    /** Why a server name cannot be used, or null when it can. */
    static String serverProblem(String name) {
        if (!SERVER.matcher(name).matches()) {
            return "must be 1-32 characters of a-z, 0-9, '_' and '-', starting with a letter";
        }
        if (name.contains(MODEL_SEPARATOR) || name.endsWith("_")) {
            return "must not contain '__' or end with '_' (a model sees tools as <server>__<tool>)";
        }
        return null;
    }

    /** Why an MCP tool's name cannot be offered to a model, or null when it can. */
    static String toolProblem(String server, String tool) {
        if (tool == null || tool.isEmpty()) {
            return "it has no name";
        }
        if (!TOOL.matcher(tool).matches()) {
            return "its name has characters other than A-Z, a-z, 0-9, '_' and '-', which providers refuse";
        }
        if (modelName(server, tool).length() > MAX_MODEL_NAME) {
            return "'" + modelName(server, tool) + "' is longer than the " + MAX_MODEL_NAME + " characters providers accept";
        }
        return null;
    }

    /** {@code weather.forecast}: the name in the API and in presets. */
    public static String publicName(String server, String tool) {
        return server + "." + tool;
    }

    /** {@code weather__forecast}: the name a model sees. */
    public static String modelName(String server, String tool) {
        return server + MODEL_SEPARATOR + tool;
    }

    /** The server and tool of a model's name, or empty when it cannot be one. */
    public static Optional<Name> fromModelName(String modelName) {
        int separator = modelName == null ? -1 : modelName.indexOf(MODEL_SEPARATOR);
        return separator <= 0 ? Optional.empty() : of(modelName.substring(0, separator), modelName.substring(separator + 2));
    }

    /** The server and tool of an API name ({@code weather.forecast}), or empty when it cannot be one. */
    public static Optional<Name> fromPublicName(String publicName) {
        int dot = publicName == null ? -1 : publicName.indexOf('.');
        return dot <= 0 ? Optional.empty() : of(publicName.substring(0, dot), publicName.substring(dot + 1));
    }

    private static Optional<Name> of(String server, String tool) {
        return serverProblem(server) == null && toolProblem(server, tool) == null ? Optional.of(new Name(server, tool)) : Optional.empty();
    }

    /** A tool's server and its own name. */
    public record Name(String server, String tool) {
        public String publicName() {
            return ToolNames.publicName(server, tool);
        }

        public String modelName() {
            return ToolNames.modelName(server, tool);
        }
    }
}
