package io.chatai.gateway;

import static io.chatai.gateway.Params.requiredString;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Content that OpenAI allows only as text: a string, or an array of {@code text} parts joined as OpenAI
 * joins them (system, developer and tool messages; an assistant's content, whose {@code refusal} parts are
 * its text too). Stateless.
 */
final class ContentParts {
    private ContentParts() {
    }

    /** A string, or the text of an array of text parts; any other part is a 400 naming it. */
    static String text(JsonNode content, String param) {
        return join(content, param, false);
    }

    /** Like {@link #text} but also takes an assistant's {@code refusal} parts. */
    static String assistantText(JsonNode content, String param) {
        return join(content, param, true);
    }

    /** The {@code type} of one content part, which must be an object naming it. */
    static String type(JsonNode part, String at) {
        if (!part.isObject()) {
            throw Params.wrongType(at, "an object", part);
        }
        return requiredString(part.get("type"), at + ".type", 64);
    }

    private static String join(JsonNode content, String param, boolean refusals) {
        if (content.isTextual()) {
            return Params.text(param, content.textValue(), Integer.MAX_VALUE);
        }
        if (!content.isArray()) {
            throw Params.wrongType(param, "a string or an array of text parts", content);
        }
        if (content.size() == 1) {
            return onePart(content.get(0), param + "[0]", refusals);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            text.append(onePart(content.get(i), param + "[" + i + "]", refusals));
        }
        return text.toString();
    }

    private static String onePart(JsonNode part, String at, boolean refusals) {
        String type = type(part, at);
        if (type.equals("text")) {
            return requiredString(part.get("text"), at + ".text", Integer.MAX_VALUE);
        }
        if (refusals && type.equals("refusal")) {
            return requiredString(part.get("refusal"), at + ".refusal", Integer.MAX_VALUE);
        }
        throw Params.invalid(at + ".type", "Invalid value: '" + type + "'. Supported values are: 'text'"
                + (refusals ? " and 'refusal'." : "."));
    }
}
