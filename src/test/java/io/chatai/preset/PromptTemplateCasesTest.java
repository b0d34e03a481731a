package io.chatai.preset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/**
 * The cases the web panel's live preview must also pass (src/test/panel/unit/template.test.mjs), so the
 * preview shows exactly what the server sends.
 */
class PromptTemplateCasesTest {

    @Test
    void should_render_every_shared_case_as_expected() throws Exception {
        JsonNode file;
        try (InputStream in = getClass().getResourceAsStream("/prompt-template-cases.json")) {
            file = new ObjectMapper().readTree(in);
        }
        ZonedDateTime now = LocalDateTime.parse(file.path("now").asText()).atZone(ZoneOffset.UTC);

        assertThat(file.path("cases").size()).isGreaterThan(10);
        for (JsonNode c : file.path("cases")) {
            String groupId = c.path("groupId").isNull() ? null : c.path("groupId").asText();
            assertThat(PromptTemplate.render(c.path("template").asText(), c.path("userId").asText(), groupId, now))
                    .as("template %s", c.path("template"))
                    .isEqualTo(c.path("expected").asText());
        }
    }
}
