package io.chatai.preset;

/**
 * A persona: system prompt, model and sampling settings, and the context budget of each turn. Immutable.
 *
 * @param model              null means the server's {@code CHATAI_DEFAULT_MODEL}
 * @param maxContextMessages at most this many history messages are sent (whole turns only)
 * @param maxContextTokens   system prompt + history + new message stay within this many tokens
 * @param reasoningEffort    {@code low}, {@code medium}, {@code high} or {@code off}; null leaves the provider's default
 * @param imageMode          what a text-only model gets for images: {@code caption} or {@code refuse}; null means
 *                           {@code caption} when a caption model is named, else {@code refuse}
 * @param captionModel       the (vision) model that describes images for text-only models, or null
 */
public record Preset(String id, String name, String description, String systemPrompt, String model,
                     Double temperature, Double topP, Integer maxTokens, int maxContextMessages,
                     int maxContextTokens, long createdAt, long updatedAt, String reasoningEffort,
                     String imageMode, String captionModel) {
    public static final String DEFAULT_ID = "default";

    /** A preset without reasoning or image settings. */
    public Preset(String id, String name, String description, String systemPrompt, String model, Double temperature,
                  Double topP, Integer maxTokens, int maxContextMessages, int maxContextTokens, long createdAt,
                  long updatedAt) {
        this(id, name, description, systemPrompt, model, temperature, topP, maxTokens, maxContextMessages,
                maxContextTokens, createdAt, updatedAt, null, null, null);
    }

    /** Whether images for a text-only model are described by the caption model (else refused). */
    public boolean captionsImages() {
        return imageMode == null ? captionModel != null : imageMode.equals("caption") && captionModel != null;
    }
}
