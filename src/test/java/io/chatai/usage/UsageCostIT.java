package io.chatai.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cost of every usage record at the prices of its time, in the totals and every grouping of the stats. */
class UsageCostIT {
    final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    final TestServerExtension server = TestServerExtension.withDefaults().withChannelFor(upstream);
    final Api admin = server.admin();

    private JsonNode stats(String query) {
        server.flushUsage();
        Api.Response response = admin.get("/api/stats/usage" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.data();
    }

    private void prices(Object table) {
        Api.Response response = admin.put("/api/prices", table);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void should_price_each_call_at_the_table_of_its_time_on_every_route() {
        upstream.always(Reply.text("a", "b")); // 11 prompt and 2 completion tokens per chat
        // The first pattern that matches wins: gpt-4o-mini is not priced as gpt-4o.
        prices(List.of(Map.of("model", "gpt-4o-mini*", "inputPerMTok", 1, "outputPerMTok", 4),
                Map.of("model", "gpt-4o*", "inputPerMTok", 100, "outputPerMTok", 400)));
        admin.post("/api/chat", Map.of("message", "hi", "userId", "alice", "groupId", "g1"));
        prices(Map.of("prices", List.of(Map.of("model", "gpt-4o-mini*", "inputPerMTok", 2, "outputPerMTok", 8),
                Map.of("model", "text-embedding-*", "inputPerMTok", 0.02, "outputPerMTok", 0))));
        admin.stream("/api/chat/stream", Map.of("message", "hi", "userId", "bob", "groupId", "g2"));
        admin.post("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "user", "carol",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        upstream.resetScript();
        admin.post("/v1/embeddings", Map.of("model", "text-embedding-3-small", "input", "one two three", "user", "carol"));
        admin.post("/v1/chat/completions", Map.of("model", "unpriced-model", "user", "dave",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));

        // alice at the first prices: 11 * 1 + 2 * 4 = 19 per million; bob and carol at the second: 11 * 2 + 2 * 8 = 38;
        // the embedding 3 * 0.02 = 0.06; the unpriced model's tokens cost nothing known.
        JsonNode totals = stats("").path("totals");
        assertThat(totals.path("cost").decimalValue()).isEqualByComparingTo("0.00009506");
        assertThat(totals.path("unpricedTokens").asLong()).isEqualTo(totals.path("totalTokens").asLong() - 3 * 13 - 3);

        assertThat(costs(stats("?groupBy=user"))).containsExactly("alice=0.000019", "bob=0.000038", "carol=0.00003806", "dave=0");
        assertThat(costs(stats("?groupBy=group"))).containsExactly("=0.00003806", "g1=0.000019", "g2=0.000038");
        assertThat(costs(stats("?groupBy=purpose"))).containsExactly("chat=0.000095", "embedding=0.00000006");
        assertThat(costs(stats("?groupBy=model"))).containsExactly("gpt-4o-mini=0.000095", "text-embedding-3-small=0.00000006",
                "unpriced-model=0");
        assertThat(costs(stats("?groupBy=channel"))).hasSize(1).allMatch(c -> c.endsWith("=0.00009506"));
        assertThat(costs(stats("?groupBy=day"))).hasSize(1).allMatch(c -> c.endsWith("=0.00009506"));
        assertThat(stats("?groupBy=group&groupId=g1").path("totals").path("cost").decimalValue()).isEqualByComparingTo("0.000019");
        assertThat(admin.get("/api/stats/usage?groupBy=team").status()).isEqualTo(400);
    }

    private static List<String> costs(JsonNode stats) {
        return stats.path("groups").valueStream()
                .map(g -> g.path("key").asText() + "=" + g.path("cost").decimalValue().stripTrailingZeros().toPlainString()).toList();
    }

    @Test
    void should_charge_prompt_tokens_read_from_the_providers_cache_at_the_cached_price() {
        // 1,000 prompt tokens of which 800 came from the cache, 10 completion tokens.
        upstream.always(Reply.rich(io.chatai.core.message.FinishReason.STOP,
                new io.chatai.core.message.TokenUsage(1000, 10, 800, 0, 0, false), new io.chatai.core.message.Part.Text("ok")));
        prices(List.of(Map.of("model", "gpt-4o-mini*", "inputPerMTok", 10, "outputPerMTok", 100, "cachedInputPerMTok", 1)));
        admin.post("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "user", "erin",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));

        // 200 * 10 + 800 * 1 + 10 * 100 = 3,800 per million (charging the cached ones as input would be 11,000).
        assertThat(costs(stats("?groupBy=user"))).containsExactly("erin=0.0038");
    }
}
