package io.chatai.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLayoutTest {

    @Test
    void should_write_one_json_object_per_line_with_the_key_values_as_fields() throws Exception {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.chatai.access"), Level.INFO, "request", null, null);
        event.setKeyValuePairs(List.of(new KeyValuePair("requestId", "abc"), new KeyValuePair("status", 200),
                new KeyValuePair("note", "line\nbreak \"quoted\"")));

        String line = new JsonLayout().doLayout(event);

        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = Json.tree(line);
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("logger").asText()).isEqualTo("io.chatai.access");
        assertThat(json.path("msg").asText()).isEqualTo("request");
        assertThat(json.path("requestId").asText()).isEqualTo("abc");
        assertThat(json.path("status").asInt()).isEqualTo(200);
        assertThat(json.path("note").asText()).isEqualTo("line\nbreak \"quoted\"");
        assertThat(json.path("ts").asText()).endsWith("Z");
    }
}
