package io.chatai.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool as a turn offers it to a model. Immutable by convention (the schema is never changed).
 *
 * @param name       {@code <server>.<tool>}, as the API and presets name it
 * @param modelName  {@code <server>__<tool>}, the function name the model sees and calls
 * @param parameters the JSON schema of its arguments, as the tool server gave it
 */
public record ToolDefinition(String name, String modelName, String description, ObjectNode parameters, String server) {
}
