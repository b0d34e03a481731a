package io.chatai.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a model's arguments for a tool before anything is sent: valid JSON, one object, at most
 * {@link #MAX_CHARS}, and the cheap parts of the tool's schema, which catch most of a model's mistakes: every
 * {@code required} property present, each property's {@code type} where the schema gives one, and no unknown
 * property where {@code additionalProperties} is false. The rest (formats, ranges, nested schemas, {@code $ref}) is
 * the tool server's to check. Stateless.
 */
final class ArgumentCheck {
    static final int MAX_CHARS = 1024 * 1024;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private ArgumentCheck() {
    }

    /** Arguments a model sent that cannot go to the tool; the message says why, for the model to try again. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** The arguments as the SDK sends them; empty text counts as no arguments ({@code {}}). */
    static Map<String, Object> parse(String argumentsJson, JsonNode schema) {
        if (argumentsJson == null || argumentsJson.isBlank()) {
            argumentsJson = "{}";
        }
        if (argumentsJson.length() > MAX_CHARS) {
            throw new Invalid("The arguments are longer than " + MAX_CHARS / (1024 * 1024) + " MiB.");
        }
        JsonNode arguments;
        try {
            arguments = Json.MAPPER.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            throw new Invalid("The arguments are not valid JSON (" + e.getOriginalMessage() + "). Send one JSON object.");
        }
        if (!(arguments instanceof ObjectNode object)) {
            throw new Invalid("The arguments must be a JSON object, got " + kind(arguments) + ".");
        }
        List<String> problems = problems(object, schema);
        if (!problems.isEmpty()) {
            throw new Invalid("The arguments do not fit the tool's schema: " + String.join("; ", problems) + ".");
        }
        return Json.MAPPER.convertValue(object, MAP);
    }

    private static List<String> problems(ObjectNode arguments, JsonNode schema) {
        List<String> problems = new ArrayList<>();
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            if (required.isTextual() && !arguments.has(required.textValue())) {
                problems.add("'" + required.textValue() + "' is required");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = arguments.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode property = properties.path(field.getKey());
            if (property.isMissingNode()) {
                if (schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").booleanValue()) {
                    problems.add("'" + field.getKey() + "' is not a parameter of this tool");
                }
                continue;
            }
            JsonNode type = property.path("type");
            if (!type.isMissingNode() && !fits(field.getValue(), type)) {
                problems.add("'" + field.getKey() + "' must be " + expected(type) + ", got " + kind(field.getValue()));
            }
        }
        return problems;
    }

    /** Whether {@code value} is of the schema's type, or of one of its types; an unknown type name fits anything. */
    private static boolean fits(JsonNode value, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode one : type) {
                if (fits(value, one)) {
                    return true;
                }
            }
            return type.isEmpty();
        }
        return switch (type.asText()) {
            case "string" -> value.isTextual();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private static String expected(JsonNode type) {
        if (!type.isArray()) {
            return article(type.asText());
        }
        List<String> names = new ArrayList<>();
        type.forEach(one -> names.add(article(one.asText())));
        return String.join(" or ", names);
    }

    private static String article(String type) {
        return switch (type) {
            case "integer", "object", "array" -> "an " + type;
            case "null" -> "null";
            default -> "a " + type;
        };
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }
}
