package io.chatai.provider.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.chatai.provider.llama.SchemaKeywords.Unsupported;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns a JSON schema into a GBNF grammar that llama.cpp samples under, so a local model can only write JSON
 * valid against the schema. It enforces the structure of a schema: {@code type} (one or a list), {@code
 * properties}, {@code required}, {@code additionalProperties}, {@code items}, {@code minItems}/{@code maxItems},
 * {@code minLength}/{@code maxLength}, {@code enum}, {@code const}, {@code anyOf}, {@code oneOf} (as anyOf), a
 * one-schema {@code allOf}, {@code $ref} into {@code $defs} or {@code definitions} (recursion included), and the
 * formats date, time, date-time and uuid. A keyword that constrains the value in another way (pattern,
 * numeric bounds, other formats, ...) is refused by its path, never dropped ({@link SchemaKeywords}); unknown
 * keywords are annotations and ignored, as JSON Schema says. Declared properties are the only ones written, required ones first.
 *
 * <p>Written here rather than using the binding's {@code LlamaModel.jsonSchemaToGrammar}: llama.cpp's converter
 * throws a C++ exception on a schema it cannot convert, and one crossing the JNI boundary aborts the JVM
 * (measured with binding 4.1.0: a pattern without {@code ^...$} ends the process with status 134).
 * Stateless to callers; each conversion uses its own instance.
 */
final class JsonSchemaGrammar {
    /** Nesting of schemas followed; deeper schemas are refused (they also guard the converter's own stack). */
    static final int MAX_DEPTH = 32;

    private final JsonNode root;
    private final String rootPath;
    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Map<String, String> refRules = new HashMap<>();
    /** References being expanded since the grammar last consumed a character: meeting one again is left recursion. */
    private Set<String> open = new HashSet<>();
    private int next;

    private JsonSchemaGrammar(JsonNode root, String rootPath) {
        this.root = root;
        this.rootPath = rootPath;
    }

    /** The grammar of JSON valid against {@code schema}; {@code path} names the schema in refusals. */
    static String of(JsonNode schema, String path) {
        JsonSchemaGrammar converter = new JsonSchemaGrammar(schema, path);
        String root = converter.visit(schema, path, 0);
        return Gbnf.grammar(root, converter.rules);
    }

    /** The path of the first part of {@code schema} the grammar cannot enforce, or empty. */
    static Optional<String> unsupported(JsonNode schema, String path) {
        try {
            of(schema, path);
            return Optional.empty();
        } catch (Unsupported e) {
            return Optional.of(e.path());
        }
    }

    /** An expression matching a value valid against {@code schema}, followed by optional whitespace. */
    private String visit(JsonNode schema, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new Unsupported(path);
        }
        if (schema.isBoolean() && schema.booleanValue()) {
            return "value";
        }
        if (!schema.isObject()) {
            throw new Unsupported(path);
        }
        SchemaKeywords.refuseUnenforceable(schema, path);
        if (schema.has("const")) {
            return Gbnf.literal(schema.get("const"));
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            if (!values.isArray() || values.isEmpty()) {
                throw new Unsupported(path + ".enum");
            }
            List<String> choices = new ArrayList<>();
            values.forEach(value -> choices.add(Gbnf.literal(value)));
            return "(" + String.join(" | ", choices) + ")";
        }
        if (schema.has("$ref")) {
            SchemaKeywords.alone(schema, path);
            return reference(schema.get("$ref"), path + ".$ref", depth);
        }
        for (String combinator : List.of("anyOf", "oneOf", "allOf")) {
            if (schema.has(combinator)) {
                SchemaKeywords.alone(schema, path);
                return combination(schema.get(combinator), combinator, path + "." + combinator, depth);
            }
        }
        JsonNode type = schema.get("type");
        if (type == null) {
            String implied = SchemaKeywords.implied(schema);
            return implied == null ? "value" : typed(schema, implied, path, depth);
        }
        if (type.isTextual()) {
            return typed(schema, type.textValue(), path, depth);
        }
        if (!type.isArray() || type.isEmpty()) {
            throw new Unsupported(path + ".type");
        }
        List<String> choices = new ArrayList<>();
        for (JsonNode one : type) {
            if (!one.isTextual()) {
                throw new Unsupported(path + ".type");
            }
            choices.add(typed(schema, one.textValue(), path, depth));
        }
        return "(" + String.join(" | ", choices) + ")";
    }

    private String combination(JsonNode schemas, String combinator, String path, int depth) {
        if (!schemas.isArray() || schemas.isEmpty() || combinator.equals("allOf") && schemas.size() > 1) {
            throw new Unsupported(path);
        }
        List<String> choices = new ArrayList<>();
        for (int i = 0; i < schemas.size(); i++) {
            choices.add(visit(schemas.get(i), path + "[" + i + "]", depth + 1));
        }
        return choices.size() == 1 ? choices.getFirst() : "(" + String.join(" | ", choices) + ")";
    }

    private String reference(JsonNode ref, String path, int depth) {
        String target = ref.isTextual() ? ref.textValue() : "";
        String section = target.startsWith("#/$defs/") ? "$defs" : target.startsWith("#/definitions/") ? "definitions" : null;
        String name = section == null ? "" : target.substring(section.length() + 3);
        JsonNode definition = root.path(section == null ? "" : section).get(name);
        if (name.isEmpty() || name.contains("/") || name.contains("~") || definition == null || open.contains(target)) {
            throw new Unsupported(path);
        }
        String rule = refRules.get(target);
        if (rule == null) {
            rule = "ref-" + next++;
            refRules.put(target, rule);
            open.add(target);
            rules.put(rule, visit(definition, rootPath + "." + section + "." + name, depth + 1));
            open.remove(target);
        }
        return rule;
    }

    private String typed(JsonNode schema, String type, String path, int depth) {
        return switch (type) {
            case "string" -> SchemaKeywords.string(schema, path);
            case "number", "integer", "boolean", "null" -> type;
            case "object" -> nested(() -> object(schema, path, depth));
            case "array" -> nested(() -> array(schema, path, depth));
            default -> throw new Unsupported(path + ".type");
        };
    }

    /** Objects and arrays start with a character, so references met inside them are not left recursion. */
    private String nested(Supplier<String> body) {
        Set<String> outer = open;
        open = new HashSet<>();
        try {
            return body.get();
        } finally {
            open = outer;
        }
    }

    private String object(JsonNode schema, String path, int depth) {
        JsonNode properties = schema.path("properties");
        JsonNode required = schema.path("required");
        JsonNode additional = schema.get("additionalProperties");
        if (!properties.isMissingNode() && !properties.isObject()) {
            throw new Unsupported(path + ".properties");
        }
        if (!required.isMissingNode() && !required.isArray()) {
            throw new Unsupported(path + ".required");
        }
        Set<String> mandatory = new HashSet<>();
        for (JsonNode name : required) {
            if (!name.isTextual() || !properties.has(name.textValue())) {
                throw new Unsupported(path + ".required"); // a required key with no declared schema
            }
            mandatory.add(name.textValue());
        }
        if (properties.isEmpty()) {
            if (additional == null || additional.isBoolean() && additional.booleanValue()) {
                return "object";
            }
            if (additional.isBoolean()) {
                return "\"{\" space \"}\" space";
            }
            String value = named("value", visit(additional, path + ".additionalProperties", depth + 1));
            return "\"{\" space (string \":\" space " + value + " (\",\" space string \":\" space " + value + ")*)? \"}\" space";
        }
        List<String> first = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = properties.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String rule = "kv-" + next++;
            rules.put(rule, Gbnf.literal(TextNode.valueOf(field.getKey())) + " \":\" space "
                    + visit(field.getValue(), path + ".properties." + field.getKey(), depth + 1));
            (mandatory.contains(field.getKey()) ? first : optional).add(rule);
        }
        return "\"{\" space " + members(first, optional) + "\"}\" space";
    }

    /** Required members in order, then each optional one; with none required, any optional one may come first. */
    private String members(List<String> required, List<String> optional) {
        if (!required.isEmpty()) {
            StringBuilder body = new StringBuilder(required.getFirst());
            required.subList(1, required.size()).forEach(rule -> body.append(" \",\" space ").append(rule));
            optional.forEach(rule -> body.append(" (\",\" space ").append(rule).append(")?"));
            return body.append(' ').toString();
        }
        // tail-k: the optional members after the k-th, each with its comma; one rule each keeps the grammar linear.
        String[] tails = new String[optional.size() + 1];
        for (int k = optional.size() - 1; k >= 1; k--) {
            tails[k] = "tail-" + next++;
            rules.put(tails[k], "(\",\" space " + optional.get(k) + ")?" + (tails[k + 1] == null ? "" : " " + tails[k + 1]));
        }
        List<String> starts = new ArrayList<>();
        for (int k = 0; k < optional.size(); k++) {
            starts.add(optional.get(k) + (tails[k + 1] == null ? "" : " " + tails[k + 1]));
        }
        return "(" + String.join(" | ", starts) + ")? ";
    }

    private String array(JsonNode schema, String path, int depth) {
        JsonNode items = schema.get("items");
        if (items != null && items.isArray()) {
            throw new Unsupported(path + ".items"); // tuples
        }
        int min = SchemaKeywords.count(schema, "minItems", 0, path);
        int max = items != null && items.isBoolean() && !items.booleanValue() ? 0 : SchemaKeywords.count(schema, "maxItems", -1, path);
        if (max == 0) {
            if (min > 0) {
                throw new Unsupported(path + ".minItems");
            }
            return "\"[\" space \"]\" space";
        }
        String item = items == null ? "value" : named("item", visit(items, path + ".items", depth + 1));
        String rest = Gbnf.repeat("(\",\" space " + item + ")", Math.max(0, min - 1), max < 0 ? -1 : max - 1);
        String list = item + (rest.isEmpty() ? "" : " " + rest);
        return "\"[\" space " + (min == 0 ? "(" + list + ")?" : list) + " \"]\" space";
    }

    /** The expression as a rule of its own when it is more than a rule's name, so using it twice does not copy it. */
    private String named(String kind, String expression) {
        if (expression.matches("[a-z0-9-]+")) {
            return expression;
        }
        String rule = kind + "-" + next++;
        rules.put(rule, expression);
        return rule;
    }
}
