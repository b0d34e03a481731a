package io.chatai.provider.llama;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Pieces of llama.cpp's grammar format (GBNF) for JSON: the rules every JSON grammar shares (whitespace,
 * strings, numbers, any value, the formats date, time, date-time and uuid), literals and repetitions.
 * Whitespace and digits are bounded, so a model cannot spend its tokens on an endless number or indent.
 * Stateless.
 */
final class Gbnf {
    private static final String PRIMITIVES = """
            space ::= | " " | "\\n" [ \\t]{0,20}
            char ::= [^"\\\\\\x7F\\x00-\\x1F] | [\\\\] (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})
            string ::= "\\"" char* "\\"" space
            integral ::= "0" | [1-9] [0-9]{0,15}
            number ::= "-"? integral ("." [0-9]{1,16})? ([eE] ("+" | "-")? [0-9]{1,16})? space
            integer ::= "-"? integral space
            boolean ::= ("true" | "false") space
            null ::= "null" space
            value ::= object | array | string | number | boolean | null
            object ::= "{" space (string ":" space value ("," space string ":" space value)*)? "}" space
            array ::= "[" space (value ("," space value)*)? "]" space
            date ::= [0-9]{4} "-" ("0" [1-9] | "1" [0-2]) "-" ("0" [1-9] | [1-2] [0-9] | "3" [0-1])
            time ::= ([0-1] [0-9] | "2" [0-3]) ":" [0-5] [0-9] ":" [0-5] [0-9] ("." [0-9]{1,6})? ("Z" | ("+" | "-") ([0-1] [0-9] | "2" [0-3]) ":" [0-5] [0-9])
            date-time ::= date "T" time
            uuid ::= [0-9a-f]{8} "-" [0-9a-f]{4} "-" [0-9a-f]{4} "-" [0-9a-f]{4} "-" [0-9a-f]{12}
            """;

    private Gbnf() {
    }

    /** A whole grammar: {@code root}, then the named rules, then the shared ones. */
    static String grammar(String root, Map<String, String> rules) {
        StringBuilder grammar = new StringBuilder("root ::= ").append(root).append('\n');
        rules.forEach((name, body) -> grammar.append(name).append(" ::= ").append(body).append('\n'));
        return grammar.append(PRIMITIVES).toString();
    }

    /** The grammar of any JSON object (OpenAI's {@code json_object} format). */
    static String anyObject() {
        return grammar("object", Map.of());
    }

    /** {@code min} to {@code max} (-1: no bound) times {@code item}, or "" for none at all. */
    static String repeat(String item, int min, int max) {
        if (max == 0) {
            return "";
        }
        if (min == 0 && max == 1) {
            return item + "?";
        }
        if (max < 0) {
            return min == 0 ? item + "*" : min == 1 ? item + "+" : item + "{" + min + ",}";
        }
        return item + "{" + min + "," + max + "}";
    }

    /** The JSON text of {@code value} as a grammar literal, then optional whitespace. */
    static String literal(JsonNode value) {
        String json = value.toString(); // compact JSON; control characters arrive escaped
        StringBuilder literal = new StringBuilder("\"");
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '"' -> literal.append("\\\"");
                case '\\' -> literal.append("\\\\");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\t' -> literal.append("\\t");
                default -> literal.append(c);
            }
        }
        return literal.append("\" space").toString();
    }
}
