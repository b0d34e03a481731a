package io.chatai.tool;

import java.util.List;

/**
 * What a tool call gave, ready for the model: the result as text (every text part, and a note for each part that
 * was left out or cut) and as parts (text and images), whether it is an error the model should see as one, and how
 * long the call took. Never thrown: every failure is a result with {@code isError} and a short message. Immutable.
 */
public record ToolResult(String text, List<Part> parts, boolean isError, long durationMs) {
    public ToolResult {
        parts = List.copyOf(parts);
    }

    /** A failure the model can read and recover from. */
    public static ToolResult error(String message, long durationMs) {
        return new ToolResult(message, List.of(new Part.Text(message)), true, durationMs);
    }

    /** A piece of a result. */
    public sealed interface Part {
        record Text(String text) implements Part {
        }

        /** @param data the image, base64 as the tool sent it */
        record Image(String mimeType, String data) implements Part {
        }
    }
}
