package io.chatai.preset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.ApiException;
import io.chatai.core.Json;
import io.chatai.core.JsonBody;
import java.util.Set;

/**
 * A preset's {@code memory} object (memory.md): whether it remembers, whose memories (scope), which model
 * extracts facts (null: the turn's own) and how many tokens of memories a turn may carry. Immutable.
 *
 * @param scope {@code user}, {@code userInGroup} or {@code group}
 */
public record MemorySettings(boolean enabled, String scope, String extractModel, int maxTokens) {
    public static final String USER = "user";
    public static final String USER_IN_GROUP = "userInGroup";
    public static final String GROUP = "group";
    public static final int DEFAULT_MAX_TOKENS = 400;
    private static final Set<String> SCOPES = Set.of(USER, USER_IN_GROUP, GROUP);

    /** Validates a request's {@code memory} object; every field but {@code enabled} has its default. */
    public static MemorySettings parse(JsonBody body) {
        Boolean enabled = body.optionalBoolean("enabled");
        String scope = body.optionalString("scope", 16);
        if (scope != null && !SCOPES.contains(scope)) {
            throw ApiException.invalid("memory.scope must be one of user, userInGroup, group");
        }
        String extractModel = body.optionalString("extractModel", 128);
        Integer maxTokens = body.optionalInteger("maxTokens", 1, 100_000);
        return new MemorySettings(Boolean.TRUE.equals(enabled), scope == null ? USER : scope, extractModel,
                maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens);
    }

    /** The stored JSON form, or null. */
    public static String toJson(MemorySettings settings) {
        return settings == null ? null : Json.MAPPER.valueToTree(settings).toString();
    }

    /** Reads the stored JSON form; null stays null. */
    public static MemorySettings fromJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return parse(new JsonBody((ObjectNode) node));
        } catch (java.io.IOException | ClassCastException e) {
            throw new IllegalStateException("Stored preset memory settings are not a JSON object: " + e.getMessage(), e);
        }
    }
}
