package io.chatai.core.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A function the model may call. Immutable (the schema is never modified after construction).
 *
 * @param parameters the arguments' JSON schema (an object schema), or null for none
 * @param strict     OpenAI's strict schema adherence, or null for the provider's default
 */
public record ToolSpec(String name, String description, JsonNode parameters, Boolean strict) {
    public ToolSpec {
        Objects.requireNonNull(name, "name");
    }
}
