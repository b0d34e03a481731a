package io.chatai.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import io.chatai.core.message.Part;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The opaque reasoning state of a translated answer as the {@code encrypted_content} of a Responses
 * {@code reasoning} item, so that a client replaying its whole input (Codex, {@code store: false}) gives each
 * provider back what it needs on the next turn: Anthropic's thinking signature or redacted data, Gemini's
 * thought signatures (on its function calls, keyed here by {@code call_id}). The text is {@code chatai.r1.}
 * and base64url JSON; it is opaque, not secret (the provider verifies its own signatures). Any other
 * {@code encrypted_content} is OpenAI's own and goes back to an OpenAI Responses upstream as it came. Immutable.
 *
 * @param origin         the wire format that made the state ({@link Part.Reasoning#ANTHROPIC}, ...), or null
 * @param signature      the reasoning's signature, or null
 * @param redacted       redacted or encrypted reasoning data, or null
 * @param callSignatures Gemini's thought signatures of the calls that follow, by call id
 */
record ReasoningState(String origin, String signature, String redacted, Map<String, String> callSignatures) {
    private static final String PREFIX = "chatai.r1.";
    static final ReasoningState NONE = new ReasoningState(null, null, null, Map.of());

    /** The state a client sent back in {@code encrypted_content} (null: none). */
    static ReasoningState read(String encrypted) {
        if (encrypted == null || encrypted.isEmpty()) {
            return NONE;
        }
        if (!encrypted.startsWith(PREFIX)) {
            return new ReasoningState(Part.Reasoning.OPENAI_RESPONSES, null, encrypted, Map.of());
        }
        JsonNode node;
        try {
            node = Json.parseObject(new String(Base64.getUrlDecoder().decode(encrypted.substring(PREFIX.length())),
                    StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw Params.invalid("input", "Invalid 'encrypted_content': it is not one this server wrote.");
        }
        Map<String, String> calls = new LinkedHashMap<>();
        node.path("c").properties().forEach(e -> calls.put(e.getKey(), e.getValue().asText()));
        return new ReasoningState(text(node.get("o")), text(node.get("s")), text(node.get("r")), Map.copyOf(calls));
    }

    /** The reasoning part this state and {@code text} make, or null when neither holds anything. */
    Part.Reasoning reasoning(String text) {
        if (text == null && signature == null && redacted == null) {
            return null;
        }
        return new Part.Reasoning(redacted != null && Part.Reasoning.ANTHROPIC.equals(origin) ? null : text,
                signature, redacted, origin);
    }

    boolean isEmpty() {
        return signature == null && redacted == null && callSignatures.isEmpty();
    }

    /** The {@code encrypted_content} for this state: OpenAI's own as it came, ours as {@code chatai.r1.}. */
    String write() {
        if (Part.Reasoning.OPENAI_RESPONSES.equals(origin) && signature == null && callSignatures.isEmpty()) {
            return redacted;
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("o", origin);
        if (signature != null) {
            node.put("s", signature);
        }
        if (redacted != null) {
            node.put("r", redacted);
        }
        if (!callSignatures.isEmpty()) {
            ObjectNode calls = node.putObject("c");
            callSignatures.forEach(calls::put);
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(node));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
