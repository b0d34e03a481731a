package io.chatai.core.message;

/** One message of the conversation sent upstream. Immutable. */
public record ChatMessage(Role role, String content) {

    /** The three roles every provider understands in some spelling. */
    public enum Role {
        SYSTEM("system"), USER("user"), ASSISTANT("assistant");

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

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }
}
