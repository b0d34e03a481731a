package io.chatai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import java.util.List;

/**
 * What an upstream received, read back from its own wire format by a fake into neutral terms, so that one
 * contract test checks every adapter. Each fake parses its provider's request with its own code (never
 * the adapter's): messages with their parts (text, images, tool calls, tool results, reasoning with its
 * signatures and redacted data, origin set to the fake's type), and the options the contract checks.
 * Where a wire format has no call ids (Gemini), the fake uses the function's name as the id of both the
 * call and its result. Immutable.
 *
 * @param system    the system prompt, or null
 * @param messages  the conversation in order, without the system prompt
 * @param toolNames the names of the functions offered, in order
 * @param toolChoice the tool choice in OpenAI's words ({@code auto}, {@code none}, {@code required}, or the
 *                  forced function's name), or null when absent
 * @param stop      the stop sequences, empty when none
 * @param schema    the JSON schema the answer must follow, or null
 * @param maxTokens the output token limit, or null
 */
public record Received(String system, List<ChatMessage> messages, List<String> toolNames, String toolChoice,
                       List<String> stop, JsonNode schema, Integer maxTokens) {
    public Received {
        messages = List.copyOf(messages);
        toolNames = List.copyOf(toolNames);
        stop = List.copyOf(stop);
    }
}
