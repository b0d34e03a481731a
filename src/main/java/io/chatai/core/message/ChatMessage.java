package io.chatai.core.message;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation as every layer sees it, from the fronts through the store to the provider
 * adapters: a system prompt, a user turn (text and images), an assistant turn (text, reasoning and tool
 * calls, in the order produced) or a tool result. Immutable.
 */
public sealed interface ChatMessage {

    /** The four roles; {@code developer} is read as {@link #SYSTEM}. */
    enum Role {
        SYSTEM("system"), USER("user"), ASSISTANT("assistant"), TOOL("tool");

        private final String wire;

        Role(String wire) {
            this.wire = wire;
        }

        /** OpenAI's spelling, also the one stored in the database. */
        public String wire() {
            return wire;
        }

        public static Role fromWire(String value) {
            for (Role role : values()) {
                if (role.wire.equals(value)) {
                    return role;
                }
            }
            throw new IllegalArgumentException("Unknown role '" + value + "'");
        }
    }

    Role role();

    /** The content parts in order. */
    List<Part> content();

    /** The text parts joined, without reasoning, images or tool calls ("" when there are none). */
    default String text() {
        return Parts.text(content());
    }

    /** Instructions for the model. */
    record System(String text) implements ChatMessage {
        public System {
            Objects.requireNonNull(text, "text");
        }

        public Role role() {
            return Role.SYSTEM;
        }

        public List<Part> content() {
            return List.of(new Part.Text(text));
        }
    }

    /**
     * What a user said: text and images.
     *
     * @param name the speaker's name where a wire format carries one (OpenAI's {@code name}), or null
     */
    record User(List<Part> content, String name) implements ChatMessage {
        public User {
            content = Parts.only(content, "a user message", Part.Text.class, Part.Image.class);
        }

        public Role role() {
            return Role.USER;
        }
    }

    /** What the model answered: text, reasoning and tool calls, in the order it produced them. */
    record Assistant(List<Part> content) implements ChatMessage {
        public Assistant {
            content = Parts.only(content, "an assistant message", Part.Text.class, Part.Reasoning.class, Part.ToolCall.class);
        }

        public Role role() {
            return Role.ASSISTANT;
        }

        public List<Part.ToolCall> toolCalls() {
            return Parts.of(content, Part.ToolCall.class);
        }

        public List<Part.Reasoning> reasoning() {
            return Parts.of(content, Part.Reasoning.class);
        }
    }

    /**
     * The result of one tool call.
     *
     * @param name the tool's name (Gemini's {@code functionResponse} needs it; null when unknown)
     */
    record Tool(String toolCallId, String name, List<Part> content, boolean isError) implements ChatMessage {
        public Tool {
            Objects.requireNonNull(toolCallId, "toolCallId");
            content = Parts.only(content, "a tool message", Part.Text.class, Part.Image.class);
        }

        public Role role() {
            return Role.TOOL;
        }
    }

    static ChatMessage system(String text) {
        return new System(text);
    }

    static ChatMessage user(String text) {
        return new User(List.of(new Part.Text(text)), null);
    }

    static ChatMessage assistant(String text) {
        return new Assistant(List.of(new Part.Text(text)));
    }

    /** A text message of the given role (system, user or assistant). */
    static ChatMessage ofText(Role role, String text) {
        return switch (role) {
            case SYSTEM -> system(text);
            case USER -> user(text);
            case ASSISTANT -> assistant(text);
            case TOOL -> throw new IllegalArgumentException("a tool message needs the id of its call");
        };
    }
}
