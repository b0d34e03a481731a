package io.chatai.preset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.TestServerExtension;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/presets}: the built-in default, create, merge on PUT, delete. */
class PresetApiIT {
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults();
    static final Api api = server.admin();

    @Test
    void should_have_the_built_in_default_preset_with_the_contract_values() {
        JsonNode preset = api.get("/api/presets/default").data();

        assertThat(preset.path("id").asText()).isEqualTo("default");
        assertThat(preset.path("name").asText()).isEqualTo("Default assistant");
        assertThat(preset.path("description").asText()).isEqualTo("General helper");
        assertThat(preset.path("systemPrompt").asText()).isEqualTo("You are a helpful assistant. Today is {{date}}.");
        assertThat(preset.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(preset.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(preset.path("topP").isNull()).isTrue();
        assertThat(preset.path("maxTokens").asInt()).isEqualTo(1024);
        assertThat(preset.path("maxContextMessages").asInt()).isEqualTo(20);
        assertThat(preset.path("maxContextTokens").asInt()).isEqualTo(8000);
    }

    @Test
    void should_create_merge_and_delete_a_preset() {
        Api.Response created = api.post("/api/presets", Map.of("id", "helper-1", "name", "Helper", "systemPrompt", "Help {{userId}}.",
                "model", "gpt-4.1", "temperature", 0.2));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.data().path("maxContextMessages").asInt()).isEqualTo(20);

        Map<String, Object> change = new HashMap<>();
        change.put("description", "Now described");
        change.put("model", null); // explicit null: back to the default model
        Api.Response merged = api.put("/api/presets/helper-1", change);
        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.data().path("name").asText()).isEqualTo("Helper");
        assertThat(merged.data().path("systemPrompt").asText()).isEqualTo("Help {{userId}}.");
        assertThat(merged.data().path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(merged.data().path("description").asText()).isEqualTo("Now described");
        assertThat(merged.data().path("model").isNull()).isTrue();
        assertThat(api.get("/api/presets/helper-1").data()).isEqualTo(merged.data());
        assertThat(api.get("/api/presets").data()).extracting(p -> p.path("id").asText()).contains("default", "helper-1");

        assertThat(api.delete("/api/presets/helper-1").json().path("success").asBoolean()).isTrue();
        Api.Response gone = api.get("/api/presets/helper-1");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("code").asText()).isEqualTo("PRESET_NOT_FOUND");
    }

    @Test
    void should_refuse_invalid_presets() {
        assertThat(api.post("/api/presets", Map.of("id", "Bad Id", "name", "x")).status()).isEqualTo(400);
        assertThat(api.post("/api/presets", Map.of("name", "no id")).status()).isEqualTo(400);
        assertThat(api.post("/api/presets", Map.of("id", "no-name")).status()).isEqualTo(400);
        assertThat(api.post("/api/presets", Map.of("id", "hot", "name", "x", "temperature", 3)).status()).isEqualTo(400);
        assertThat(api.post("/api/presets", Map.of("id", "str", "name", "x", "maxTokens", "100")).status()).isEqualTo(400);
        assertThat(api.post("/api/presets", Map.of("id", "default", "name", "again")).status()).isEqualTo(400);
        assertThat(api.put("/api/presets/missing", Map.of("name", "x")).json().path("code").asText()).isEqualTo("PRESET_NOT_FOUND");
    }

    @Test
    void should_keep_the_default_preset_undeletable_but_editable() {
        Api.Response refused = api.delete("/api/presets/default");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(api.get("/api/presets/default").status()).isEqualTo(200);

        Api.Response edited = api.put("/api/presets/default", Map.of("maxContextMessages", 10));
        assertThat(edited.data().path("maxContextMessages").asInt()).isEqualTo(10);
        api.put("/api/presets/default", Map.of("maxContextMessages", 20));
    }
}
