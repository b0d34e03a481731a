package io.chatai.preset;

import java.util.List;

/**
 * A persona: system prompt, model and sampling settings, the context budget of each turn, and the tools its
 * turns may use. Immutable.
 *
 * @param model              null means the server's {@code CHATAI_DEFAULT_MODEL}
 * @param maxContextMessages at most this many history messages are sent (whole turns only)
 * @param maxContextTokens   system prompt + history + new message stay within this many tokens
 * @param reasoningEffort    {@code low}, {@code medium}, {@code high} or {@code off}; null leaves the provider's default
 * @param imageMode          what a text-only model gets for images: {@code caption} or {@code refuse}; null means
 *                           {@code caption} when a caption model is named, else {@code refuse}
 * @param captionModel       the (vision) model that describes images for text-only models, or null
 * @param tools              tool patterns ({@code <server>.<tool>} or {@code <server>.*}), or null for a preset
 *                           without tools, which behaves exactly as before tools existed
 * @param maxToolRounds      how many rounds of tool calls one turn may run (0-32)
 * @param toolChoice         {@code auto}, or {@code required} (the first round must call a tool)
 */
public record Preset(String id, String name, String description, String systemPrompt, String model,
                     Double temperature, Double topP, Integer maxTokens, int maxContextMessages,
                     int maxContextTokens, long createdAt, long updatedAt, String reasoningEffort,
                     String imageMode, String captionModel, List<String> tools, int maxToolRounds, String toolChoice) {
    public static final String DEFAULT_ID = "default";
    public static final int DEFAULT_TOOL_ROUNDS = 8;
    public static final int MAX_TOOL_ROUNDS = 32;
    public static final String AUTO = "auto";
    public static final String REQUIRED = "required";

    public Preset {
        tools = tools == null ? null : List.copyOf(tools);
    }

    /** A preset without tools. */
    public Preset(String id, String name, String description, String systemPrompt, String model, Double temperature,
                  Double topP, Integer maxTokens, int maxContextMessages, int maxContextTokens, long createdAt,
                  long updatedAt, String reasoningEffort, String imageMode, String captionModel) {
        this(id, name, description, systemPrompt, model, temperature, topP, maxTokens, maxContextMessages,
                maxContextTokens, createdAt, updatedAt, reasoningEffort, imageMode, captionModel, null,
                DEFAULT_TOOL_ROUNDS, AUTO);
    }

    /** A preset without reasoning, image or tool settings. */
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
