package io.chatai.tool;

import io.chatai.core.Cancellation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools one turn offers its model ({@link ToolExecutor#tools}), and the only way to run them: a call of a name
 * not in the set (another server's tool, one the preset leaves out, a name the model made up) is an error result,
 * never a call. Immutable; calls may run in parallel.
 */
public final class ToolSet {
    /** No tools: a turn offering none behaves exactly as before tools existed. */
    public static final ToolSet NONE = new ToolSet(null, List.of());

    private final ToolExecutor executor;
    private final List<ToolCatalog.Entry> entries;
    private final Map<String, ToolCatalog.Entry> byModelName = new HashMap<>();

    ToolSet(ToolExecutor executor, List<ToolCatalog.Entry> entries) {
        this.executor = executor;
        this.entries = List.copyOf(entries);
        this.entries.forEach(entry -> byModelName.put(entry.modelName(), entry));
    }

    /** What the model is offered: name, description and JSON schema of each tool, by name. */
    public List<ToolDefinition> definitions() {
        return entries.stream().map(ToolCatalog.Entry::definition).toList();
    }

    /** The {@code <server>.<tool>} name of an offered tool, by the name the model calls it. */
    public java.util.Optional<String> publicName(String modelName) {
        return java.util.Optional.ofNullable(byModelName.get(modelName)).map(ToolCatalog.Entry::name);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Runs the tool the model named ({@code <server>__<tool>}) with the arguments it wrote (a JSON object as text),
     * bounded by the server's {@code timeoutMs}; a cancel of {@code cancellation} ends it at once (and cancels it at
     * the server). Never throws: every failure is a result with {@code isError}.
     */
    public ToolResult call(String modelName, String argumentsJson, Cancellation cancellation) {
        ToolCatalog.Entry entry = byModelName.get(modelName);
        if (entry == null) {
            return ToolResult.error("There is no tool named '" + cut(modelName) + "'. Use one of the tools you were given.", 0);
        }
        return executor.call(entry, argumentsJson, cancellation);
    }

    private static String cut(String name) {
        if (name == null) {
            return "";
        }
        return name.length() <= 100 ? name : name.substring(0, 100) + "…";
    }
}
