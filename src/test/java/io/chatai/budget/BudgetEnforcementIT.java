package io.chatai.budget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.MutableClock;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Budgets on every route that calls a model: a refused request is 429 {@code QUOTA_EXCEEDED} (OpenAI's
 * {@code insufficient_quota} on {@code /v1}) and reaches no upstream; an admitted one settles to what its calls
 * really cost, also when it fails or its client leaves. The server's clock stands at noon UTC, so a daily
 * budget resets in exactly 12 hours.
 */
class BudgetEnforcementIT {
    static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");
    static final MutableClock clock = new MutableClock(NOON);
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withClock(clock).withChannelFor(upstream);
    static final Api admin = server.admin();

    @BeforeAll
    static void presets() {
        ok(admin.post("/api/presets", Map.of("id", "brief", "name", "Brief", "systemPrompt", "Answer briefly.",
                "maxTokens", 100)));
    }

    @AfterEach
    void reset() {
        for (JsonNode budget : admin.get("/api/budgets").data()) {
            ok(admin.delete("/api/budgets/" + budget.path("id").asText()));
        }
        ok(admin.put("/api/prices", List.of()));
        upstream.resetScript();
        clock.advance(Duration.between(clock.instant(), NOON));
    }

    static JsonNode ok(Api.Response response) {
        assertThat(response.status()).as(response.body()).isBetween(200, 201);
        return response.json().path("data");
    }

    static String budget(Map<String, Object> fields) {
        return ok(admin.post("/api/budgets", fields)).path("id").asText();
    }

    static Map<String, Object> chat(String user, String group) {
        Map<String, Object> body = new HashMap<>(Map.of("message", "How much is 2 + 2?", "userId", user, "preset", "brief"));
        if (group != null) {
            body.put("groupId", group);
        }
        return body;
    }

    /** What one request of this shape reserves: learnt from a refusal by a budget too small for anything. */
    static long worstCase(String budgetId, Map<String, Object> request) {
        ok(admin.put("/api/budgets/" + budgetId, Map.of("maxTokens", 1)));
        Api.Response refused = admin.post("/api/chat", request);
        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        return refused.json().path("details").path("requestTokens").asLong();
    }

    @Test
    void should_refuse_a_group_past_its_daily_budget_with_its_message_and_the_time_to_midnight_without_calling_upstream() {
        String id = budget(Map.of("scope", "group", "subject", "g-refuse", "period", "day", "maxTokens", 1_000_000));
        long worst = worstCase(id, chat("alice", "g-refuse"));
        // The preset lets the answer reach 100 tokens; the prompt (system prompt and message) is counted.
        assertThat(worst).isBetween(100L + 10, 100L + 40);
        // Room for one worst case, and 12 tokens after a call that really cost 12 (11 prompt, 1 completion).
        ok(admin.put("/api/budgets/" + id, Map.of("maxTokens", worst + 11, "message", "Your group is done for today.")));
        upstream.always(Reply.text("4"));

        assertThat(admin.post("/api/chat", chat("alice", "g-refuse")).status()).isEqualTo(200);
        int calls = upstream.calls();
        Api.Response refused = admin.post("/api/chat", chat("bob", "g-refuse"));

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("success").asBoolean(true)).isFalse();
        assertThat(refused.json().path("code").asText()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(refused.json().path("error").asText()).isEqualTo("Your group is done for today.");
        assertThat(refused.json().path("details").path("budgetId").asText()).isEqualTo(id);
        assertThat(refused.json().path("details").path("remainingTokens").asLong()).isEqualTo(worst - 1);
        assertThat(refused.header("Retry-After")).isEqualTo(String.valueOf(12 * 3600));
        assertThat(upstream.calls()).as("nothing was called upstream").isEqualTo(calls);
        // Another group is not this group's budget.
        assertThat(admin.post("/api/chat", chat("alice", "g-other")).status()).isEqualTo(200);
        // The first call holds what it really cost (12), not its worst case: one more token makes room for a second.
        ok(admin.put("/api/budgets/" + id, Map.of("maxTokens", worst + 12)));
        assertThat(admin.post("/api/chat", chat("bob", "g-refuse")).status()).isEqualTo(200);
        ok(admin.put("/api/budgets/" + id, Map.of("maxTokens", worst + 11)));

        JsonNode standing = ok(admin.get("/api/budgets/" + id));
        assertThat(standing.path("spentTokens").asLong()).isEqualTo(24);
        assertThat(standing.path("reservedTokens").asLong()).isZero();
        assertThat(standing.path("remainingTokens").asLong()).isEqualTo(worst + 11 - 24);
        assertThat(standing.path("resetsAt").asLong()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z").toEpochMilli());

        clock.advance(Duration.ofHours(12)); // midnight UTC: a new day, a new budget
        assertThat(admin.post("/api/chat", chat("carl", "g-refuse")).status()).isEqualTo(200); // no history: a worst case
        assertThat(ok(admin.get("/api/budgets/" + id)).path("spentTokens").asLong()).isEqualTo(12);
    }

    @Test
    void should_refuse_on_every_route_in_its_own_shape_and_call_nothing_upstream() throws Exception {
        JsonNode key = ok(admin.post("/api/keys", Map.of("name", "spent-bot")));
        Api bot = server.as(key.path("key").asText());
        String id = budget(Map.of("scope", "key", "subject", key.path("id").asText(), "period", "month", "maxTokens", 1));
        int calls = upstream.calls();
        long toApril = Duration.between(NOON, Instant.parse("2026-04-01T00:00:00Z")).toSeconds();

        for (Api.Response refused : List.of(bot.post("/api/chat", chat("carol", null)),
                streamed(bot, "/api/chat/stream", chat("carol", null)))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(429);
            assertThat(refused.json().path("code").asText()).isEqualTo("QUOTA_EXCEEDED");
            assertThat(refused.json().path("error").asText()).isEqualTo("This key has used its AI quota for this month.");
            assertThat(refused.json().path("details").path("budgetId").asText()).isEqualTo(id);
            assertThat(refused.header("Retry-After")).isEqualTo(String.valueOf(toApril));
        }
        Map<String, Object> completion = Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("role", "user", "content", "hi")));
        Map<String, Object> streamedCompletion = new HashMap<>(completion);
        streamedCompletion.put("stream", true);
        for (Api.Response refused : List.of(bot.post("/v1/chat/completions", completion),
                streamed(bot, "/v1/chat/completions", streamedCompletion),
                bot.post("/v1/embeddings", Map.of("model", "text-embedding-3-small", "input", "hello there, general")),
                bot.post("/v1/embeddings", Map.of("model", "local-embedding", "input", "hello there, general")))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(429);
            JsonNode error = refused.json().path("error");
            assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
            assertThat(error.path("code").asText()).isEqualTo("insufficient_quota");
            assertThat(error.path("message").asText()).isEqualTo("This key has used its AI quota for this month.");
            assertThat(refused.header("Retry-After")).isEqualTo(String.valueOf(toApril));
            assertThat(refused.header("x-should-retry")).isEqualTo("false");
        }
        assertThat(upstream.calls()).as("nothing was called upstream").isEqualTo(calls);
        // Listing models costs nothing and stays open.
        assertThat(bot.get("/v1/models").status()).isEqualTo(200);
    }

    /** A streamed request's whole response, as an ordinary one (a refusal comes before any event). */
    static Api.Response streamed(Api api, String path, Object body) {
        Api.Stream stream = api.stream(path, body);
        return new Api.Response(stream.status(), stream.headers(), stream.raw());
    }

    @Test
    void should_settle_to_what_the_calls_cost_and_match_the_usage_records_on_every_route() {
        ok(admin.put("/api/prices", List.of(Map.of("model", "gpt-4o-mini*", "inputPerMTok", 2.5, "outputPerMTok", 10),
                Map.of("model", "text-embedding-*", "inputPerMTok", 0.02, "outputPerMTok", 0))));
        String id = budget(Map.of("scope", "user", "subject", "dana", "period", "day", "maxTokens", 1_000_000, "maxCost", 5));
        upstream.always(Reply.text("a", "b", "c"));
        Api dana = server.as(server.createKey("dana-app", "dana", null));

        assertThat(dana.post("/api/chat", chat("dana", "g-settle")).status()).isEqualTo(200);
        assertThat(dana.stream("/api/chat/stream", chat("dana", null)).types()).endsWith("end");
        assertThat(dana.post("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "max_tokens", 50,
                "messages", List.of(Map.of("role", "user", "content", "hi")))).status()).isEqualTo(200);
        upstream.resetScript();
        assertThat(dana.post("/v1/embeddings", Map.of("model", "text-embedding-3-small", "input", List.of("one two", "three")))
                .status()).isEqualTo(200);

        server.flushUsage();
        JsonNode usage = ok(admin.get("/api/stats/usage?userId=dana")).path("totals");
        JsonNode standing = ok(admin.get("/api/budgets/" + id));
        // Three chats of 11 + 3 tokens and an embedding of 3 tokens (one per word, as the fake counts).
        assertThat(standing.path("spentTokens").asLong()).isEqualTo(3 * 14 + 3).isEqualTo(usage.path("totalTokens").asLong());
        // 33 prompt tokens at 2.5, 9 completion tokens at 10 and 3 embedded at 0.02 per million.
        assertThat(standing.path("spentCost").decimalValue()).isEqualByComparingTo("0.00017256")
                .isEqualByComparingTo(usage.path("cost").decimalValue());
        assertThat(standing.path("reservedTokens").asLong()).isZero();
        assertThat(standing.path("remainingCost").decimalValue()).isEqualByComparingTo("4.99982744");
    }

    @Test
    void should_release_the_reservation_of_a_failed_call_and_count_what_a_left_stream_produced() throws Exception {
        String id = budget(Map.of("scope", "user", "subject", "erin", "period", "day", "maxTokens", 1_000_000));
        long worst = worstCase(id, chat("erin", null));
        ok(admin.put("/api/budgets/" + id, Map.of("maxTokens", worst)));

        upstream.always(Reply.status(400, "bad request"));
        assertThat(admin.post("/api/chat", chat("erin", null)).status()).isEqualTo(502);
        JsonNode afterFailure = ok(admin.get("/api/budgets/" + id));
        assertThat(afterFailure.path("spentTokens").asLong()).isZero();
        assertThat(afterFailure.path("reservedTokens").asLong()).isZero();

        // A stream the client leaves after its first words: released, and what was generated is counted.
        CountDownLatch firstWords = new CountDownLatch(1);
        upstream.script(body -> {
            firstWords.countDown();
            return Reply.text("one ", "two ", "three ", "four ").withGap(Duration.ofSeconds(2)).withoutUsage();
        });
        var request = admin.request("/api/chat/stream").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"message\": \"How much is 2 + 2?\", "
                        + "\"userId\": \"erin\", \"preset\": \"brief\"}"));
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var response = client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            try (var body = response.body()) {
                assertThat(firstWords.await(10, TimeUnit.SECONDS)).isTrue();
                byte[] start = new byte[64];
                assertThat(body.read(start)).isPositive(); // the start and first content event arrived
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode left;
        do {
            Thread.sleep(50);
            left = ok(admin.get("/api/budgets/" + id));
        } while (left.path("spentTokens").asLong() == 0 && System.nanoTime() < deadline);
        server.flushUsage();
        JsonNode usage = ok(admin.get("/api/stats/usage?userId=erin")).path("totals");
        assertThat(left.path("reservedTokens").asLong()).isZero();
        assertThat(left.path("spentTokens").asLong()).isPositive().isLessThan(worst).isEqualTo(usage.path("totalTokens").asLong());
        upstream.resetScript();
        // The rest of the day's room is still there for a request that fits.
        assertThat(left.path("remainingTokens").asLong()).isEqualTo(worst - left.path("spentTokens").asLong());
    }

    @Test
    void should_give_each_subject_of_a_star_budget_its_own_and_count_usage_from_before_the_budget() {
        upstream.always(Reply.text("ok"));
        assertThat(admin.post("/api/chat", chat("frank", "g-star-1")).status()).isEqualTo(200); // 12 tokens, before any budget
        server.flushUsage();
        String id = budget(Map.of("scope", "group", "subject", "*", "period", "day", "maxTokens", 1_000_000));
        long worst = worstCase(id, chat("frank", "g-star-2"));
        ok(admin.put("/api/budgets/" + id, Map.of("maxTokens", worst + 11)));

        JsonNode first = ok(admin.get("/api/budgets/" + id + "?subject=g-star-1"));
        assertThat(first.path("spentTokens").asLong()).as("what the group spent today before the budget").isEqualTo(12);
        assertThat(admin.post("/api/chat", chat("frank", "g-star-1")).status()).as("12 spent + a worst case > the limit").isEqualTo(429);
        assertThat(admin.post("/api/chat", chat("frank", "g-star-2")).status()).isEqualTo(200);
        assertThat(admin.post("/api/chat", chat("gina", "g-star-2")).status()).isEqualTo(429);
        assertThat(admin.post("/api/chat", chat("gina", "g-star-3")).status()).isEqualTo(200);

        JsonNode all = ok(admin.get("/api/budgets/" + id));
        assertThat(all.has("spentTokens")).isFalse();
        assertThat(all.path("subjects")).extracting(s -> s.path("subject").asText() + "=" + s.path("spentTokens").asLong())
                .containsExactlyInAnyOrder("g-star-1=12", "g-star-2=12", "g-star-3=12");
    }

    @Test
    void should_hold_a_cost_budget_to_the_price_of_the_worst_case() {
        // A token costs 0.001 in and out: a worst case of W tokens costs W / 1000.
        ok(admin.put("/api/prices", List.of(Map.of("model", "gpt-4o-mini", "inputPerMTok", 1000, "outputPerMTok", 1000))));
        String id = budget(Map.of("scope", "user", "subject", "hana", "period", "month", "maxCost", 1000));
        Api.Response probe = admin.post("/api/chat", chat("hana", null));
        assertThat(probe.status()).isEqualTo(200);
        long worst = worstCase(id, chat("hana", null)); // the price stays: the limit is tokens now
        Map<String, Object> costOnly = new HashMap<>();
        costOnly.put("maxTokens", null);
        costOnly.put("maxCost", (worst + 11) / 1000.0);
        ok(admin.put("/api/budgets/" + id, costOnly));

        Api.Response refused = admin.post("/api/chat", chat("hana", null));
        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.json().path("details").path("requestCost").decimalValue())
                .isEqualByComparingTo(java.math.BigDecimal.valueOf(worst, 3));
        assertThat(refused.json().path("details").has("remainingTokens")).isFalse();
        ok(admin.put("/api/budgets/" + id, Map.of("maxCost", (worst + 24) / 1000.0)));
        assertThat(admin.post("/api/chat", chat("hana", null)).status()).isEqualTo(200);
    }
}
