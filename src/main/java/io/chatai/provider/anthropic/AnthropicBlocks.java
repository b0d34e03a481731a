package io.chatai.provider.anthropic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The conversation as Anthropic's {@code messages}: user turns of text, image and {@code tool_result}
 * blocks, assistant turns of {@code thinking}, {@code redacted_thinking}, {@code text} and {@code tool_use}
 * blocks in the order the model produced them. Wire DTOs internal to the adapter; stateless.
 */
final class AnthropicBlocks {
    private static final Pattern NOT_AN_ID_CHARACTER = Pattern.compile("[^a-zA-Z0-9_-]");

    private AnthropicBlocks() {
    }

    /** One turn; {@code content} is a string when it is a single text block (the cheapest form), else a list of blocks. */
    record Message(String role, Object content) {
    }

    sealed interface Block {
    }

    record Text(String type, String text) implements Block {
        Text(String text) {
            this("text", text);
        }
    }

    record Image(String type, Source source) implements Block {
    }

    /** {@code {"type":"base64","media_type","data"}} or {@code {"type":"url","url"}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Source(String type, @JsonProperty("media_type") String mediaType, String data, String url) {
    }

    record ToolUse(String type, String id, String name, JsonNode input) implements Block {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ToolResult(String type, @JsonProperty("tool_use_id") String toolUseId, Object content,
                      @JsonProperty("is_error") Boolean isError) implements Block {
    }

    record Thinking(String type, String thinking, String signature) implements Block {
    }

    record RedactedThinking(String type, String data) implements Block {
    }

    /**
     * The wire messages; system prompts are collected into {@code system} (Anthropic has no system role).
     * Consecutive tool results merge into one user turn, as Anthropic wants every result of one assistant
     * turn in the next user turn. A message left with no blocks (an empty reply, reasoning meant for another
     * provider) is left out: Anthropic refuses empty content.
     */
    static List<Message> messages(List<ChatMessage> conversation, List<String> system) {
        List<Message> messages = new ArrayList<>();
        List<Block> toolResults = null;
        for (ChatMessage message : conversation) {
            switch (message) {
                case ChatMessage.System prompt -> {
                    if (!prompt.text().isEmpty()) {
                        system.add(prompt.text());
                    }
                }
                case ChatMessage.Tool result -> {
                    if (toolResults == null) {
                        toolResults = new ArrayList<>();
                        messages.add(new Message("user", toolResults));
                    }
                    toolResults.add(toolResult(result));
                }
                case ChatMessage.User user -> {
                    toolResults = null;
                    add(messages, "user", blocks(user.content()));
                }
                case ChatMessage.Assistant assistant -> {
                    toolResults = null;
                    add(messages, "assistant", blocks(assistant.content()));
                }
            }
        }
        return messages;
    }

    private static void add(List<Message> messages, String role, List<Block> blocks) {
        if (!blocks.isEmpty()) {
            messages.add(new Message(role, content(blocks)));
        }
    }

    private static Object content(List<Block> blocks) {
        return blocks.size() == 1 && blocks.getFirst() instanceof Text only ? only.text() : blocks;
    }

    private static Block toolResult(ChatMessage.Tool result) {
        List<Block> blocks = blocks(result.content());
        return new ToolResult("tool_result", toolUseId(result.toolCallId()), blocks.isEmpty() ? null : content(blocks),
                result.isError() ? Boolean.TRUE : null);
    }

    /**
     * Each part as its block. Reasoning goes back only as the signed or redacted block Anthropic produced
     * ({@link Part.Reasoning#hasStateFor}); Anthropic rejects unsigned thinking, and another provider's
     * reasoning is not Claude's. Empty text is left out (Anthropic refuses empty text blocks).
     */
    private static List<Block> blocks(List<Part> parts) {
        List<Block> blocks = new ArrayList<>(parts.size());
        for (Part part : parts) {
            switch (part) {
                case Part.Text text -> {
                    if (!text.text().isEmpty()) {
                        blocks.add(new Text(text.text()));
                    }
                }
                case Part.Image image -> blocks.add(new Image("image", source(image.source())));
                case Part.ToolCall call -> blocks.add(new ToolUse("tool_use", toolUseId(call.id()), call.name(), input(call.arguments())));
                case Part.Reasoning reasoning -> {
                    if (reasoning.hasStateFor(Part.Reasoning.ANTHROPIC)) {
                        blocks.add(reasoning.redacted() != null ? new RedactedThinking("redacted_thinking", reasoning.redacted())
                                : new Thinking("thinking", reasoning.text() == null ? "" : reasoning.text(), reasoning.signature()));
                    }
                }
            }
        }
        return blocks;
    }

    private static Source source(ImageSource source) {
        ImageSource parsed = source instanceof ImageSource.Url url ? ImageSource.parse(url.url()) : source;
        return switch (parsed) {
            case ImageSource.Inline inline -> new Source("base64", inline.mimeType(), inline.base64(), null);
            case ImageSource.Url url -> new Source("url", null, null, url.url());
        };
    }

    /**
     * A call's arguments as the object Anthropic's {@code input} must be. Arguments that are not a JSON
     * object (a model can write broken JSON) cannot be echoed as one: they go back as {@code {}}, and the
     * tool result that follows tells the model what went wrong.
     */
    static JsonNode input(String arguments) {
        try {
            JsonNode input = Json.tree(arguments);
            if (input != null && input.isObject()) {
                return input;
            }
        } catch (IOException e) {
            // not JSON: below
        }
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Anthropic accepts tool ids of letters, digits, '_' and '-' only; ids made elsewhere (e.g.
     * {@code functions.get_weather:0}) get the others replaced, the same way in the call and its result.
     */
    static String toolUseId(String id) {
        return NOT_AN_ID_CHARACTER.matcher(id).replaceAll("_");
    }
}
