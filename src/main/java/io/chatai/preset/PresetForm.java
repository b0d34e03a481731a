package io.chatai.preset;

import io.chatai.core.ApiException;
import io.chatai.core.JsonBody;
import io.chatai.tool.ToolPatterns;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validates preset fields from a request body and merges them onto a stored preset: omitted fields keep
 * their value, an explicit {@code null} clears a nullable one. Stateless.
 */
public final class PresetForm {
    private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");

    private PresetForm() {
    }

    public static String validId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw ApiException.invalid("Preset id must be 1-64 characters of a-z, 0-9, '_' and '-'");
        }
        return id;
    }

    /** A new preset from a POST body: {@code id} and {@code name} required, the rest defaulted. */
    public static Preset create(JsonBody body, long now) {
        String id = validId(body.requiredString("id", 64));
        Preset defaults = new Preset(id, body.requiredString("name", 100), null, "", null, null, null, null, 20, 8000, now, now);
        return merge(defaults, body, now);
    }

    /** The stored preset with the body's fields applied. */
    public static Preset merge(Preset base, JsonBody body, long now) {
        return new Preset(base.id(),
                body.has("name") ? body.requiredString("name", 100) : base.name(),
                body.present("description") ? body.optionalText("description", 1000) : base.description(),
                body.has("systemPrompt") ? body.optionalText("systemPrompt", 100_000) : base.systemPrompt(),
                body.present("model") ? body.optionalString("model", 128) : base.model(),
                body.present("temperature") ? body.optionalNumber("temperature", 0, 2) : base.temperature(),
                body.present("topP") ? body.optionalNumber("topP", 0, 1) : base.topP(),
                body.present("maxTokens") ? body.optionalInteger("maxTokens", 1, 1_000_000) : base.maxTokens(),
                body.has("maxContextMessages") ? body.optionalInteger("maxContextMessages", 0, 10_000) : base.maxContextMessages(),
                body.has("maxContextTokens") ? body.optionalInteger("maxContextTokens", 0, 10_000_000) : base.maxContextTokens(),
                base.createdAt(), now,
                body.present("reasoningEffort") ? oneOf(body, "reasoningEffort", "low", "medium", "high", "off") : base.reasoningEffort(),
                body.present("imageMode") ? oneOf(body, "imageMode", "caption", "refuse") : base.imageMode(),
                body.present("captionModel") ? body.optionalString("captionModel", 128) : base.captionModel(),
                body.present("tools") ? tools(body) : base.tools(),
                body.has("maxToolRounds") ? body.optionalInteger("maxToolRounds", 0, Preset.MAX_TOOL_ROUNDS) : base.maxToolRounds(),
                body.has("toolChoice") ? toolChoice(body) : base.toolChoice());
    }

    private static String oneOf(JsonBody body, String field, String... allowed) {
        String value = body.optionalString(field, 16);
        if (value != null && !java.util.List.of(allowed).contains(value)) {
            throw ApiException.invalid(field + " must be one of " + String.join(", ", allowed) + " (or null), got '" + value + "'");
        }
        return value;
    }

    /** The patterns, each checked ({@link ToolPatterns#parse}); null (no tools) when the field is null. */
    private static List<String> tools(JsonBody body) {
        List<String> written = body.optionalStringList("tools", ToolPatterns.MAX_PATTERNS, 200);
        return written == null ? null : ToolPatterns.parse("tools", written).written();
    }

    private static String toolChoice(JsonBody body) {
        String choice = body.requiredString("toolChoice", 16);
        if (!choice.equals(Preset.AUTO) && !choice.equals(Preset.REQUIRED)) {
            throw ApiException.invalid("toolChoice must be 'auto' or 'required', got '" + choice + "'");
        }
        return choice;
    }
}
