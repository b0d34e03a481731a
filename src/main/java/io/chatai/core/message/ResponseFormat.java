package io.chatai.core.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** The shape the answer's text must have. Immutable. */
public sealed interface ResponseFormat {

    /** Any text (the default). */
    record Text() implements ResponseFormat {
    }

    /** Some valid JSON object. */
    record JsonObject() implements ResponseFormat {
    }

    /**
     * JSON valid against a schema.
     *
     * @param strict OpenAI's strict adherence, or null for the provider's default
     */
    record JsonSchema(String name, String description, JsonNode schema, Boolean strict) implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
        }
    }
}
