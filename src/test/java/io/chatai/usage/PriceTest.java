package io.chatai.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.ApiException;
import io.chatai.core.Json;
import io.chatai.core.JsonBody;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceTest {

    private static Price price(String model, double in, double out) {
        return new Price(model, in, out, null);
    }

    @Test
    void should_match_globs_whole_with_star_and_question_mark_ignoring_case() {
        assertThat(price("gpt-4o*", 1, 1).pattern().matcher("gpt-4o-mini").matches()).isTrue();
        assertThat(price("gpt-4o*", 1, 1).pattern().matcher("GPT-4o").matches()).isTrue();
        assertThat(price("gpt-4o*", 1, 1).pattern().matcher("my-gpt-4o").matches()).isFalse();
        assertThat(price("claude-3-?-haiku", 1, 1).pattern().matcher("claude-3-5-haiku").matches()).isTrue();
        assertThat(price("claude-3-?-haiku", 1, 1).pattern().matcher("claude-3-55-haiku").matches()).isFalse();
        // Everything but * and ? is literal: a dot or a bracket in a model name is no regular expression.
        assertThat(price("qwen2.5", 1, 1).pattern().matcher("qwen2x5").matches()).isFalse();
        assertThat(price("a[b]+", 1, 1).pattern().matcher("a[b]+").matches()).isTrue();
        assertThat(price("*", 1, 1).pattern().matcher("anything at all").matches()).isTrue();
    }

    @Test
    void should_cost_tokens_per_million_exactly_in_nano_units() {
        // 1,000 prompt tokens at 2.5 per million and 200 completion tokens at 10: 0.0025 + 0.002
        assertThat(price("m", 2.5, 10).costNanos(1_000, 0, 200)).isEqualTo(4_500_000L);
        // 0.15 is not exact in binary; the cost still is: 7 tokens at 0.15 per million = 0.00000105
        assertThat(price("m", 0.15, 0.6).costNanos(7, 0, 0)).isEqualTo(1_050L);
        // Half a nano-unit rounds up: 1 token at 0.0005 per million is 0.5 nano-units.
        assertThat(price("m", 0.0005, 0).costNanos(1, 0, 0)).isEqualTo(1L);
        assertThat(Cost.decimal(4_500_000L)).isEqualByComparingTo(new BigDecimal("0.0045"));
        assertThat(Json.writeString(Cost.decimal(1_050L))).isEqualTo("0.00000105");
        assertThat(Json.writeString(Cost.decimal(12_000_000_000L))).isEqualTo("12");
    }

    @Test
    void should_charge_cached_prompt_tokens_at_their_own_price_or_else_as_input() {
        Price cached = new Price("m", 2.5, 10, 1.25);
        // 1,000 prompt tokens of which 400 came from the cache: 600 * 2.5 + 400 * 1.25 per million
        assertThat(cached.costNanos(1_000, 400, 0)).isEqualTo(2_000_000L);
        assertThat(price("m", 2.5, 10).costNanos(1_000, 400, 0)).isEqualTo(2_500_000L);
    }

    @Test
    void should_read_a_table_in_order_and_name_the_entry_at_fault() {
        List<Price> table = PriceRoutes.parse(tree("[{\"model\": \"gpt-4o-mini*\", \"inputPerMTok\": 0.15, \"outputPerMTok\": 0.6},"
                + "{\"model\": \"gpt-4o*\", \"inputPerMTok\": 2.5, \"outputPerMTok\": 10, \"cachedInputPerMTok\": 1.25}]"));
        assertThat(table).extracting(Price::model).containsExactly("gpt-4o-mini*", "gpt-4o*");
        assertThat(table.get(1).cachedInputPerMTok()).isEqualTo(1.25);
        assertThat(PriceRoutes.parse(tree("{\"prices\": []}"))).isEmpty();

        assertThatThrownBy(() -> PriceRoutes.parse(tree("[{\"model\": \"m\", \"inputPerMTok\": 1, \"outputPerMTok\": \"2\"}]")))
                .isInstanceOf(ApiException.class).hasMessage("prices[0].outputPerMTok must be a number, got a string");
        assertThatThrownBy(() -> PriceRoutes.parse(tree("[{\"model\": \"m\", \"outputPerMTok\": 2}]")))
                .hasMessage("prices[0].inputPerMTok is required");
        assertThatThrownBy(() -> PriceRoutes.parse(tree("[{\"model\": \"m\", \"inputPerMTok\": -1, \"outputPerMTok\": 2}]")))
                .hasMessageStartingWith("prices[0].inputPerMTok must be from 0.0 to");
        assertThatThrownBy(() -> PriceRoutes.parse(tree("[{\"inputPerMTok\": 1, \"outputPerMTok\": 2}]")))
                .hasMessage("prices[0].model is required");
        assertThatThrownBy(() -> PriceRoutes.parse(tree("[1]"))).hasMessage("prices[0] must be an object");
        assertThatThrownBy(() -> PriceRoutes.parse(tree("{\"model\": \"m\"}"))).hasMessageStartingWith("Send the price table as a JSON array");
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8), "prices");
    }

    @SuppressWarnings("unused")
    private static JsonBody body(String json) {
        return new JsonBody((ObjectNode) tree(json));
    }
}
