package io.chatai.provider.llama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which schemas the grammar converter takes and which parts it refuses by path. That the grammars it writes
 * hold the model to the schema is shown on the real engine in {@link LlamaProviderTest}.
 */
class JsonSchemaGrammarTest {

    static Optional<String> refused(String schema) {
        try {
            return JsonSchemaGrammar.unsupported(Json.tree(schema), "s");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void should_name_each_constraint_it_cannot_enforce_by_its_path() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{\"type\":\"string\",\"pattern\":\"^a$\"}", "s.pattern"),
                Map.entry("{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"minimum\":0}}", "s.items.minimum"),
                Map.entry("{\"properties\":{\"mail\":{\"type\":\"string\",\"format\":\"email\"}}}", "s.properties.mail.format"),
                Map.entry("{\"$ref\":\"#/$defs/missing\"}", "s.$ref"),
                Map.entry("{\"$ref\":\"https://example.com/schema.json\"}", "s.$ref"),
                Map.entry("{\"type\":\"string\",\"maxLength\":20001}", "s.maxLength"),
                Map.entry("{\"type\":\"string\",\"maxLength\":2.5}", "s.maxLength"),
                Map.entry("{\"type\":\"array\",\"minItems\":3,\"maxItems\":2}", "s.minItems"),
                Map.entry("{\"type\":\"object\",\"properties\":{\"a\":{}},\"required\":[\"b\"]}", "s.required"),
                Map.entry("{\"type\":\"array\",\"items\":[{\"type\":\"string\"}]}", "s.items"),
                Map.entry("{\"allOf\":[{\"type\":\"string\"},{\"maxLength\":3}]}", "s.allOf"),
                Map.entry("{\"type\":\"object\",\"anyOf\":[{\"required\":[\"a\"]}]}", "s.type"),
                Map.entry("{\"type\":\"any\"}", "s.type"),
                Map.entry("{\"type\":[\"string\",7]}", "s.type"),
                Map.entry("{\"properties\":{\"a\":\"string\"}}", "s.properties.a"),
                Map.entry("{\"enum\":[]}", "s.enum"),
                Map.entry("{\"not\":{\"type\":\"null\"}}", "s.not"));
        cases.forEach((schema, path) -> assertThat(refused(schema)).as(schema).contains(path));
    }

    @Test
    void should_refuse_a_reference_that_repeats_before_writing_anything() {
        // Left recursion: llama.cpp would reject the grammar and sample without any.
        assertThat(refused("{\"$ref\":\"#/$defs/a\",\"$defs\":{\"a\":{\"anyOf\":[{\"type\":\"null\"},{\"$ref\":\"#/$defs/b\"}]},"
                + "\"b\":{\"$ref\":\"#/$defs/a\"}}}")).contains("s.$defs.b.$ref");
    }

    @Test
    void should_refuse_a_schema_nested_deeper_than_its_limit() {
        // Built in code: a request body could not nest this deep (Json.MAX_NESTING_DEPTH), a chain of references could.
        ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "integer");
        for (int i = 0; i <= JsonSchemaGrammar.MAX_DEPTH; i++) {
            ObjectNode array = Json.MAPPER.createObjectNode().put("type", "array");
            array.set("items", schema);
            schema = array;
        }

        assertThat(JsonSchemaGrammar.unsupported(schema, "s")).contains("s" + ".items".repeat(JsonSchemaGrammar.MAX_DEPTH + 1));
        assertThat(JsonSchemaGrammar.unsupported(schema.get("items"), "s")).isEmpty();
    }

    @Test
    void should_write_a_grammar_that_grows_with_the_schema_not_with_its_depth_doubled() {
        // A map of maps of maps: each level's value rule is used twice, so it must be named, not copied.
        ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "integer");
        for (int i = 0; i < 24; i++) {
            ObjectNode map = Json.MAPPER.createObjectNode().put("type", "object");
            map.set("additionalProperties", schema);
            schema = map;
        }

        assertThat(JsonSchemaGrammar.of(schema, "s")).hasSizeLessThan(20_000);
    }

    @Test
    void should_take_structure_recursion_through_objects_and_ignore_annotations() {
        assertThat(refused("""
                {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"Tree","description":"a tree",
                 "$ref":"#/$defs/node",
                 "$defs":{"node":{"type":"object","x-extension":true,"nullable":true,
                   "properties":{"value":{"type":["integer","null"],"default":null,"examples":[1]},
                                 "children":{"type":"array","items":{"$ref":"#/$defs/node"},"maxItems":2}},
                   "required":["value"],"additionalProperties":false}}}""")).isEmpty();
        assertThat(refused("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}")).isEmpty();
        assertThat(refused("{\"definitions\":{\"a\":{\"const\":{\"k\":[1,\"two\"]}}},\"allOf\":[{\"$ref\":\"#/definitions/a\"}]}")).isEmpty();
        assertThat(refused("{\"type\":\"string\",\"format\":\"date-time\"}")).isEmpty();
        assertThat(refused("true")).isEmpty();
    }
}
