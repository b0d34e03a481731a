package io.chatai.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, validated access to the fields of a JSON request body. Every mismatch is a 400
 * {@code INVALID_REQUEST} naming the field: a number where a string is expected is an error, never
 * converted. A JSON {@code null} counts as absent. Not thread-safe (one per request).
 */
public final class JsonBody {
    private final ObjectNode node;

    public JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** The parsed object, for fields that need more than these typed accessors. */
    public ObjectNode node() {
        return node;
    }

    public static JsonBody parse(byte[] body) {
        return new JsonBody(Json.parseObject(body));
    }

    public boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** Whether the field is in the body at all, even as {@code null} (PUT uses null to clear a value). */
    public boolean present(String field) {
        return node.has(field);
    }

    /** A string of 1..max code points; absent is an error. */
    public String requiredString(String field, int max) {
        String value = optionalString(field, max);
        if (value == null) {
            throw ApiException.invalid(field + " is required");
        }
        return value;
    }

    /** A string of 1..max code points, or null when absent. */
    public String optionalString(String field, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid(field + " must be a string, got " + typeOf(value));
        }
        return checkText(field, value.textValue(), 1, max);
    }

    /** Like {@link #optionalString} but allows the empty string. */
    public String optionalText(String field, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid(field + " must be a string, got " + typeOf(value));
        }
        return checkText(field, value.textValue(), 0, max);
    }

    public Boolean optionalBoolean(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid(field + " must be true or false, got " + typeOf(value));
        }
        return value.booleanValue();
    }

    /** A whole number within [min, max], or null when absent. */
    public Integer optionalInteger(String field, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiException.invalid(field + " must be a whole number, got " + typeOf(value));
        }
        int number = value.intValue();
        if (number < min || number > max) {
            throw ApiException.invalid(field + " must be from " + min + " to " + max + ", got " + number);
        }
        return number;
    }

    /** A number within [min, max], or null when absent. */
    public Double optionalNumber(String field, double min, double max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw ApiException.invalid(field + " must be a number, got " + typeOf(value));
        }
        double number = value.doubleValue();
        if (!(number >= min && number <= max)) {
            throw ApiException.invalid(field + " must be from " + min + " to " + max + ", got " + value.asText());
        }
        return number;
    }

    /** An array of non-empty strings, or null when absent. */
    public List<String> optionalStringList(String field, int maxItems, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw ApiException.invalid(field + " must be an array of strings, got " + typeOf(value));
        }
        if (value.size() > maxItems) {
            throw ApiException.invalid(field + " may hold at most " + maxItems + " items, got " + value.size());
        }
        List<String> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual()) {
                throw ApiException.invalid(field + "[" + i + "] must be a string, got " + typeOf(item));
            }
            items.add(checkText(field + "[" + i + "]", item.textValue(), 1, maxLength));
        }
        return items;
    }

    /** An object whose values are all strings, or null when absent. */
    public Map<String, String> optionalStringMap(String field, int maxEntries, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw ApiException.invalid(field + " must be an object of strings, got " + typeOf(value));
        }
        if (value.size() > maxEntries) {
            throw ApiException.invalid(field + " may hold at most " + maxEntries + " entries, got " + value.size());
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (var entry : value.properties()) {
            String key = checkText(field + " key", entry.getKey(), 1, maxLength);
            if (!entry.getValue().isTextual()) {
                throw ApiException.invalid(field + "." + key + " must be a string, got " + typeOf(entry.getValue()));
            }
            entries.put(key, checkText(field + "." + key, entry.getValue().textValue(), 0, maxLength));
        }
        return entries;
    }

    /** A nested object, read with the same rules, or null when absent. */
    public JsonBody optionalObject(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            throw ApiException.invalid(field + " must be an object, got " + typeOf(value));
        }
        return new JsonBody(object);
    }

    /** The names of the fields in the body, in order. */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Checks the contract's rules for text: no U+0000, no lone surrogates, length in code points. */
    public static String checkText(String field, String text, int min, int max) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw ApiException.invalid(field + " must not contain U+0000");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.invalid(field + " contains an unpaired UTF-16 surrogate, which is not a character");
            }
            length++;
        }
        if (length < min || length > max) {
            String range = min == max ? String.valueOf(min) : min + "-" + max;
            throw ApiException.invalid(field + " must be " + range + " characters, got " + length);
        }
        return text;
    }

    private static String typeOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }
}
