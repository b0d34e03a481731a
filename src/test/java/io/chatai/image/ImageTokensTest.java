package io.chatai.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageTokensTest {

    @Test
    void should_use_openais_tile_formula_for_openai_and_local_models() {
        assertThat(ImageTokens.estimate("openai", 1024, 1024)).isEqualTo(765); // OpenAI's own worked example
        assertThat(ImageTokens.estimate("openai", 2048, 4096)).isEqualTo(1105); // 768x1536: 6 tiles
        assertThat(ImageTokens.estimate("local", 1024, 1024)).isEqualTo(765);
    }

    @Test
    void should_use_anthropics_pixels_over_750_after_scaling_the_long_edge() {
        assertThat(ImageTokens.estimate("anthropic", 1000, 1000)).isEqualTo(1334);
        assertThat(ImageTokens.estimate("anthropic", 200, 200)).isEqualTo(54);
        assertThat(ImageTokens.estimate("anthropic", 8000, 8000)).isEqualTo(1600); // scaled down by the API
    }

    @Test
    void should_use_geminis_258_per_768_pixel_tile() {
        assertThat(ImageTokens.estimate("gemini", 384, 300)).isEqualTo(258);
        assertThat(ImageTokens.estimate("gemini", 1000, 1000)).isEqualTo(1032);
        assertThat(ImageTokens.estimate("gemini", 800, 400)).isEqualTo(516);
    }

    @Test
    void should_count_the_most_any_serving_provider_would_charge() {
        assertThat(ImageTokens.estimate(List.of("openai", "anthropic"), 1000, 1000)).isEqualTo(1334);
        assertThat(ImageTokens.estimate(List.of("openai", "gemini"), 200, 200)).isEqualTo(258);
        assertThat(ImageTokens.estimate(List.of("openai"), 200, 200)).isEqualTo(255);
        assertThat(ImageTokens.estimate(List.of(), 1024, 1024)).isEqualTo(765);
    }
}
