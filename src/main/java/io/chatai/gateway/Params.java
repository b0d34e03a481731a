package io.chatai.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.ApiException;
import io.chatai.core.JsonBody;
import io.chatai.web.OpenAiError;

/**
 * Typed reads of an OpenAI request's fields, each mistake a 400 in OpenAI's shape whose {@code param} names
 * the field at fault (as {@code messages[2].content[0].image_url.url}) and whose {@code code} is OpenAI's
 * ({@code invalid_type}, {@code invalid_value}, {@code missing_required_parameter}). A JSON {@code null}
 * reads as absent. Stateless.
 */
final class Params {
    private Params() {
    }

    static OpenAiError invalid(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", "invalid_value", param, message);
    }

    static OpenAiError missing(String param) {
        return new OpenAiError(400, "invalid_request_error", "missing_required_parameter", param,
                "Missing required parameter: '" + param + "'.");
    }

    static OpenAiError wrongType(String param, String expected, JsonNode got) {
        return new OpenAiError(400, "invalid_request_error", "invalid_type", param,
                "Invalid type for '" + param + "': expected " + expected + ", but got " + typeOf(got) + " instead.");
    }

    static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    /** A string (checked as the contract checks text: no U+0000, no lone surrogates, at most max characters), or null. */
    static String string(JsonNode value, String param, int max) {
        if (absent(value)) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(param, "a string", value);
        }
        return text(param, value.textValue(), max);
    }

    static String requiredString(JsonNode value, String param, int max) {
        String text = string(value, param, max);
        if (text == null) {
            throw missing(param);
        }
        return text;
    }

    static String text(String param, String text, int max) {
        try {
            return JsonBody.checkText(param, text, 0, max);
        } catch (ApiException e) {
            throw invalid(param, e.getMessage());
        }
    }

    static Boolean bool(JsonNode value, String param) {
        if (absent(value)) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(param, "a boolean", value);
        }
        return value.booleanValue();
    }

    static Double number(JsonNode value, String param, double min, double max) {
        if (absent(value)) {
            return null;
        }
        if (!value.isNumber()) {
            throw wrongType(param, "a number", value);
        }
        double number = value.doubleValue();
        if (!(number >= min && number <= max)) {
            throw invalid(param, "Invalid '" + param + "': " + value.asText() + " is not from " + min + " to " + max + ".");
        }
        return number;
    }

    static Long integer(JsonNode value, String param, long min, long max) {
        if (absent(value)) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(param, "an integer", value);
        }
        long number = value.longValue();
        if (number < min || number > max) {
            throw invalid(param, "Invalid '" + param + "': " + number + " is not from " + min + " to " + max + ".");
        }
        return number;
    }

    static Integer integer(JsonNode value, String param, int min, int max) {
        Long number = integer(value, param, (long) min, (long) max);
        return number == null ? null : number.intValue();
    }

    private static String typeOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a decimal";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }
}
