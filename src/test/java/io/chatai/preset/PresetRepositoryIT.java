package io.chatai.preset;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Presets stored, updated and cached, on the database under test. */
class PresetRepositoryIT {
    private final TestStore store = new TestStore();
    private final PresetRepository presets = new PresetRepository(store.database());

    @AfterEach
    void close() {
        store.close();
    }

    private static Preset preset(String id, String prompt, Double temperature, Integer maxTokens) {
        return new Preset(id, "Name " + id, null, prompt, null, temperature, null, maxTokens, 10, 4_000, 1_000, 2_000);
    }

    @Test
    void should_store_every_field_with_sql_nulls_kept_apart_from_zero() {
        Preset full = new Preset("full", "Full", "described", "You are {{name}}.", "gpt-x", 0.0, 0.9, 0, 12, 3_000, 5, 6);
        Preset sparse = preset("sparse", "Terse.", null, null);

        assertThat(presets.insert(full)).isTrue();
        assertThat(presets.insert(sparse)).isTrue();
        assertThat(presets.insert(sparse)).as("the id is taken").isFalse();

        assertThat(presets.find("full")).contains(full);
        assertThat(presets.find("sparse")).contains(sparse);
        assertThat(presets.list()).extracting(Preset::id).containsExactly("default", "full", "sparse");
    }

    @Test
    void should_update_delete_and_upsert() {
        presets.insert(preset("p1", "one", 0.5, 100));

        assertThat(presets.update(preset("p1", "changed", null, 200))).isTrue();
        assertThat(presets.find("p1").orElseThrow().systemPrompt()).isEqualTo("changed");
        assertThat(presets.update(preset("nobody", "x", null, null))).isFalse();
        presets.save(preset("p2", "declared", null, null));
        presets.save(preset("p2", "declared again", null, null));
        assertThat(presets.find("p2").orElseThrow().systemPrompt()).isEqualTo("declared again");
        assertThat(presets.delete("p1")).isTrue();
        assertThat(presets.delete("p1")).isFalse();
        assertThat(presets.find("p1")).isEmpty();
    }

    @Test
    void should_serve_from_the_cache_until_a_change_or_a_forget() {
        assertThat(presets.find("ghost")).isEmpty(); // cached as missing
        store.execute("INSERT INTO presets (id, name, system_prompt, max_context_messages, max_context_tokens, created_at, "
                + "updated_at) VALUES ('ghost', 'Ghost', 'Boo.', 1, 100, 1, 1)"); // another instance, say
        assertThat(presets.find("ghost")).as("still cached").isEmpty();

        presets.forgetCache(); // what a configuration poll does
        assertThat(presets.find("ghost")).map(Preset::systemPrompt).contains("Boo.");

        store.execute("UPDATE presets SET system_prompt = 'Changed behind the cache.' WHERE id = 'ghost'");
        presets.insert(preset("other", "x", null, null)); // a change through this instance clears it
        assertThat(presets.find("ghost")).map(Preset::systemPrompt).contains("Changed behind the cache.");
    }

    @Test
    void should_keep_a_busy_preset_cached_while_unknown_ids_flood_the_cache() {
        presets.find("default");
        store.execute("UPDATE presets SET system_prompt = 'Changed behind the cache.' WHERE id = 'default'");

        // Turns keep reading their preset while a client asks for three times the cache's size of unknown ids.
        for (int i = 0; i < 3_000; i++) {
            presets.find("unknown-" + i);
            if (i % 10 == 0) {
                presets.find("default");
            }
        }

        // Bounded by evicting what is rarely used, not by starting over: the preset every turn reads stays.
        assertThat(presets.find("default").orElseThrow().systemPrompt()).isNotEqualTo("Changed behind the cache.");
    }
}
