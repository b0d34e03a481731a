package io.chatai.gateway;

import io.chatai.core.message.Part;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the Messages front keeps opaque reasoning state of providers other than Anthropic, so that a client
 * sending its blocks back (as Claude Code and the SDKs do in a tool loop) returns it byte for byte: a Gemini
 * thought signature on a function call rides in the {@code tool_use} id ({@code <id>__ts_<base64url>}), which
 * the client must echo; a Gemini signature on a thought rides in the thinking block's {@code signature},
 * marked {@code chatai-gemini:}. Reasoning text without state ({@code reasoning_content}) is a thinking block
 * with an empty signature, read back as OpenAI-style reasoning. Stateless.
 */
final class AnthropicFrontState {
    static final String GEMINI_MARK = "chatai-gemini:";
    private static final String CALL_MARK = "__ts_";

    private AnthropicFrontState() {
    }

    /** A thinking block sent back by the client, as the part it came from; null when it holds nothing. */
    static Part.Reasoning reasoning(String thinking, String signature) {
        String text = thinking == null || thinking.isEmpty() ? null : thinking;
        if (signature != null && signature.startsWith(GEMINI_MARK) && signature.length() > GEMINI_MARK.length()) {
            return new Part.Reasoning(text, signature.substring(GEMINI_MARK.length()), null, Part.Reasoning.GEMINI);
        }
        if (signature != null && !signature.isEmpty()) {
            return new Part.Reasoning(text, signature, null, Part.Reasoning.ANTHROPIC);
        }
        return text == null ? null : Part.Reasoning.text(text, Part.Reasoning.OPENAI);
    }

    /** The {@code signature} of the thinking block a reasoning part becomes ("" when it has no state). */
    static String signature(Part.Reasoning reasoning) {
        if (reasoning.signature() == null) {
            return "";
        }
        return Part.Reasoning.GEMINI.equals(reasoning.origin()) ? GEMINI_MARK + reasoning.signature() : reasoning.signature();
    }

    /** The {@code tool_use} id of a call: its own id, with its signature (if any) appended. */
    static String toolUseId(String id, String signature) {
        if (signature == null || signature.isEmpty()) {
            return id;
        }
        return id + CALL_MARK + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.getBytes(StandardCharsets.UTF_8));
    }

    /** The signature a {@code tool_use} id carries, or null. */
    static String callSignature(String id) {
        int mark = id.lastIndexOf(CALL_MARK);
        if (mark < 0) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(id.substring(mark + CALL_MARK.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notOurs) {
            return null; // an id of the client's own that happens to hold the mark
        }
    }
}
