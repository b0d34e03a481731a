package io.chatai.preset;

/**
 * A persona: system prompt, model and sampling settings, and the context budget of each turn. Immutable.
 *
 * @param model              null means the server's {@code CHATAI_DEFAULT_MODEL}
 * @param maxContextMessages at most this many history messages are sent (whole turns only)
 * @param maxContextTokens   system prompt + history + new message stay within this many tokens
 * @param memory             long-term memory settings, or null when the preset remembers nothing
 * @param context            {@code group} (one conversation per group), or null for per-user conversations
 */
public record Preset(String id, String name, String description, String systemPrompt, String model,
                     Double temperature, Double topP, Integer maxTokens, int maxContextMessages,
                     int maxContextTokens, long createdAt, long updatedAt, MemorySettings memory, String context) {
    public static final String DEFAULT_ID = "default";
    public static final String GROUP_CONTEXT = "group";

    /** A preset without memory and with per-user conversations. */
    public Preset(String id, String name, String description, String systemPrompt, String model,
                  Double temperature, Double topP, Integer maxTokens, int maxContextMessages,
                  int maxContextTokens, long createdAt, long updatedAt) {
        this(id, name, description, systemPrompt, model, temperature, topP, maxTokens, maxContextMessages,
                maxContextTokens, createdAt, updatedAt, null, null);
    }

    /** Whether turns of this preset recall memories and extract new ones. */
    public boolean remembers() {
        return memory != null && memory.enabled();
    }
}
