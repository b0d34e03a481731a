package io.chatai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.tool.ToolArguments;

/**
 * One tool call of a turn as the Chat API shows it ({@code data.toolCalls}, the {@code tool_call} and
 * {@code tool_result} events). Immutable.
 *
 * @param name      {@code <server>.<tool>} for an offered tool, else the name the model wrote
 * @param arguments the JSON the model wrote, parsed; its raw text (a JSON string) when it is not valid JSON
 * @param result    the result text the model saw (null while the call runs)
 */
public record ToolCallView(String id, String name, JsonNode arguments, String result, boolean isError,
                           long durationMs) {

    /** A call the model asked for, before it ran. */
    static ToolCallView asked(String id, String name, String argumentsJson) {
        return new ToolCallView(id, name, arguments(argumentsJson), null, false, 0);
    }

    ToolCallView finished(String text, boolean error, long durationMs) {
        return new ToolCallView(id, name, arguments, text, error, durationMs);
    }

    static JsonNode arguments(String json) {
        return ToolArguments.view(json);
    }
}
