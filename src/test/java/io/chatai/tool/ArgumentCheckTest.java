package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentCheckTest {
    static final ObjectNode SCHEMA = schema("""
            {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"},
             "units": {"type": ["string", "null"]}, "tags": {"type": "array"}, "deep": {"type": "object"}},
             "required": ["city"]}""");

    static ObjectNode schema(String json) {
        try {
            return (ObjectNode) Json.tree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void should_pass_arguments_that_fit_as_a_map() {
        Map<String, Object> arguments = ArgumentCheck.parse("{\"city\": \"Oslo\", \"days\": 3, \"units\": null, \"tags\": [1], \"extra\": true}", SCHEMA);

        assertThat(arguments).containsEntry("city", "Oslo").containsEntry("days", 3).containsEntry("tags", List.of(1)).containsKey("units");
        assertThat(ArgumentCheck.parse("{\"city\": \"Oslo\", \"days\": 3.0}", SCHEMA)).containsKey("days");
    }

    @Test
    void should_take_empty_text_as_no_arguments() {
        assertThat(ArgumentCheck.parse("", schema("{\"type\": \"object\"}"))).isEmpty();
        assertThat(ArgumentCheck.parse(null, schema("{\"type\": \"object\"}"))).isEmpty();
        assertThat(ArgumentCheck.parse("  ", schema("{}"))).isEmpty();
    }

    @Test
    void should_refuse_text_that_is_not_one_json_object() {
        assertThatThrownBy(() -> ArgumentCheck.parse("{\"city\": ", SCHEMA)).hasMessageStartingWith("The arguments are not valid JSON (");
        assertThatThrownBy(() -> ArgumentCheck.parse("{\"city\": \"a\"} {}", SCHEMA)).hasMessageStartingWith("The arguments are not valid JSON");
        assertThatThrownBy(() -> ArgumentCheck.parse("{\"city\": \"a\", \"city\": \"b\"}", SCHEMA)).hasMessageStartingWith("The arguments are not valid JSON");
        assertThatThrownBy(() -> ArgumentCheck.parse("\"Oslo\"", SCHEMA)).hasMessage("The arguments must be a JSON object, got a string.");
        assertThatThrownBy(() -> ArgumentCheck.parse("null", SCHEMA)).hasMessage("The arguments must be a JSON object, got null.");
        assertThatThrownBy(() -> ArgumentCheck.parse("{\"city\": \"" + "x".repeat(1024 * 1024) + "\"}", SCHEMA))
                .hasMessage("The arguments are longer than 1 MiB.");
    }

    @Test
    void should_name_every_missing_or_mistyped_argument() {
        assertThatThrownBy(() -> ArgumentCheck.parse("{\"days\": \"three\", \"units\": 1, \"deep\": []}", SCHEMA))
                .isInstanceOf(ArgumentCheck.Invalid.class)
                .hasMessage("The arguments do not fit the tool's schema: 'city' is required; 'days' must be an integer, got a string; "
                        + "'units' must be a string or null, got an integer; 'deep' must be an object, got an array.");
        assertThatThrownBy(() -> ArgumentCheck.parse("{\"city\": \"Oslo\", \"days\": 2.5}", SCHEMA))
                .hasMessageEndingWith("'days' must be an integer, got a number.");
    }

    @Test
    void should_refuse_unknown_arguments_only_where_the_schema_says_so() {
        ObjectNode closed = schema("{\"type\": \"object\", \"properties\": {\"a\": {}}, \"additionalProperties\": false}");

        assertThatThrownBy(() -> ArgumentCheck.parse("{\"a\": 1, \"b\": 2}", closed))
                .hasMessage("The arguments do not fit the tool's schema: 'b' is not a parameter of this tool.");
        assertThat(ArgumentCheck.parse("{\"a\": {\"anything\": [true]}}", closed)).containsKey("a");
        assertThat(ArgumentCheck.parse("{\"b\": 2}", schema("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"custom\"}}}"))).containsKey("b");
    }
}
