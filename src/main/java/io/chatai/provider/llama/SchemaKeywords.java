package io.chatai.provider.llama;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The JSON-schema keywords {@link JsonSchemaGrammar} reads, refuses or ignores, and the checks of their
 * values: a keyword whose value the grammar cannot enforce is refused by its path, never dropped. Stateless.
 */
final class SchemaKeywords {
    /** The largest length or item count enforced; llama.cpp expands {@code x{0,n}} into n rules. */
    static final int MAX_REPEAT = 10_000;
    private static final Set<String> REFUSED = Set.of("pattern", "patternProperties", "propertyNames", "minimum", "maximum",
            "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minProperties", "maxProperties", "dependentRequired",
            "dependentSchemas", "dependencies", "if", "then", "else", "not", "contains", "minContains", "maxContains",
            "uniqueItems", "prefixItems", "additionalItems", "unevaluatedProperties", "unevaluatedItems", "$dynamicRef",
            "$recursiveRef");
    /** Keywords that shape a value besides the combinators; beside {@code $ref} or {@code anyOf} they are refused. */
    private static final List<String> SHAPING = List.of("type", "properties", "required", "additionalProperties", "items",
            "minItems", "maxItems", "minLength", "maxLength", "format");
    private static final Set<String> FORMATS = Set.of("date", "time", "date-time", "uuid");

    /** A keyword, or a value of one, that the grammar cannot enforce; the message is its path. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String path) {
            super(path, null, false, false);
        }

        String path() {
            return getMessage();
        }
    }

    private SchemaKeywords() {
    }

    /** Refuses the first keyword of {@code schema} that constrains values in a way no grammar here enforces. */
    static void refuseUnenforceable(JsonNode schema, String path) {
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (REFUSED.contains(name)) {
                throw new Unsupported(path + "." + name);
            }
        }
    }

    /** A combinator or reference with shaping siblings would need their intersection, which is not built here. */
    static void alone(JsonNode schema, String path) {
        for (String keyword : SHAPING) {
            if (schema.has(keyword)) {
                throw new Unsupported(path + "." + keyword);
            }
        }
        int combinators = 0;
        for (String keyword : List.of("$ref", "anyOf", "oneOf", "allOf")) {
            if (schema.has(keyword) && ++combinators > 1) {
                throw new Unsupported(path + "." + keyword);
            }
        }
    }

    /** The type a schema without {@code type} implies by its keywords, or null for any value. */
    static String implied(JsonNode schema) {
        if (schema.has("properties") || schema.has("required") || schema.has("additionalProperties")) {
            return "object";
        }
        if (schema.has("items") || schema.has("minItems") || schema.has("maxItems")) {
            return "array";
        }
        return schema.has("minLength") || schema.has("maxLength") || schema.has("format") ? "string" : null;
    }

    /** A string: of a format, or of {@code minLength} to {@code maxLength} characters. */
    static String string(JsonNode schema, String path) {
        JsonNode format = schema.get("format");
        if (format != null) {
            if (!format.isTextual() || !FORMATS.contains(format.textValue())) {
                throw new Unsupported(path + ".format");
            }
            if (schema.has("minLength") || schema.has("maxLength")) {
                throw new Unsupported(path + (schema.has("minLength") ? ".minLength" : ".maxLength"));
            }
            return "\"\\\"\" " + format.textValue() + " \"\\\"\" space";
        }
        int min = count(schema, "minLength", 0, path);
        int max = count(schema, "maxLength", -1, path);
        return "\"\\\"\" " + Gbnf.repeat("char", min, max) + " \"\\\"\" space";
    }

    /** A whole number keyword from 0 to {@link #MAX_REPEAT}; {@code fallback} when absent. */
    static int count(JsonNode schema, String keyword, int fallback, String path) {
        JsonNode value = schema.get(keyword);
        if (value == null) {
            return fallback;
        }
        if (!value.canConvertToExactIntegral() || value.asLong() < 0 || value.asLong() > MAX_REPEAT) {
            throw new Unsupported(path + "." + keyword);
        }
        if (keyword.startsWith("max")) {
            String minimum = "min" + keyword.substring(3);
            if (schema.has(minimum) && schema.get(minimum).asLong() > value.asLong()) {
                throw new Unsupported(path + "." + minimum);
            }
        }
        return value.intValue();
    }
}
