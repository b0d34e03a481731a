package io.chatai.preset;

/**
 * A persona: system prompt, model and sampling settings, and the context budget of each turn. Immutable.
 *
 * @param model              null means the server's {@code CHATAI_DEFAULT_MODEL}
 * @param maxContextMessages at most this many history messages are sent (whole turns only)
 * @param maxContextTokens   system prompt + history + new message stay within this many tokens
 */
public record Preset(String id, String name, String description, String systemPrompt, String model,
                     Double temperature, Double topP, Integer maxTokens, int maxContextMessages,
                     int maxContextTokens, long createdAt, long updatedAt) {
    public static final String DEFAULT_ID = "default";
}
