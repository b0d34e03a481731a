package io.chatai.budget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.TestServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/prices} and {@code /api/budgets}: the admin's, validated, with the contract's errors. */
class BudgetApiIT {
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults();
    static final Api admin = server.admin();

    @Test
    void should_keep_the_price_table_in_order_with_its_numbers_as_entered_and_refuse_a_bad_one_whole() {
        assertThat(admin.get("/api/prices").data()).isEmpty();
        Api.Response put = admin.put("/api/prices", List.of(
                Map.of("model", "gpt-4o-mini*", "inputPerMTok", 0.15, "outputPerMTok", 0.6),
                Map.of("model", "gpt-4o*", "inputPerMTok", 2.5, "outputPerMTok", 10, "cachedInputPerMTok", 1.25),
                Map.of("model", "*", "inputPerMTok", 0.0001, "outputPerMTok", 0)));
        assertThat(put.status()).as(put.body()).isEqualTo(200);

        Api.Response read = admin.get("/api/prices");
        assertThat(read.body()).contains("\"inputPerMTok\":0.15", "\"cachedInputPerMTok\":1.25", "\"inputPerMTok\":0.0001");
        assertThat(read.data()).extracting(p -> p.path("model").asText()).containsExactly("gpt-4o-mini*", "gpt-4o*", "*");
        assertThat(read.data().path(0).path("cachedInputPerMTok").isNull()).isTrue();

        Api.Response bad = admin.put("/api/prices", List.of(Map.of("model", "m", "inputPerMTok", 1, "outputPerMTok", 1),
                Map.of("model", "n", "inputPerMTok", "1", "outputPerMTok", 1)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(bad.json().path("error").asText()).isEqualTo("prices[1].inputPerMTok must be a number, got a string");
        assertThat(admin.get("/api/prices").data()).as("unchanged").hasSize(3);
        assertThat(admin.put("/api/prices", Map.of("model", "m")).status()).isEqualTo(400);
        assertThat(admin.send(admin.request("/api/prices").header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("[{\"model\": "))).status()).isEqualTo(400);

        assertThat(admin.put("/api/prices", Map.of("prices", List.of())).status()).isEqualTo(200);
        assertThat(admin.get("/api/prices").data()).isEmpty();
    }

    @Test
    void should_create_read_change_and_delete_budgets() {
        Api.Response created = admin.post("/api/budgets", Map.of("scope", "group", "subject", "g-api", "period", "day",
                "maxTokens", 100_000, "maxCost", 2.5, "message", "The group's AI time is up for today."));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode budget = created.data();
        String id = budget.path("id").asText();
        assertThat(id).startsWith("bud_");
        assertThat(budget.path("scope").asText()).isEqualTo("group");
        assertThat(budget.path("maxCost").decimalValue()).isEqualByComparingTo("2.5");
        assertThat(budget.path("spentTokens").asLong()).isZero();
        assertThat(budget.path("remainingTokens").asLong()).isEqualTo(100_000);
        assertThat(budget.path("remainingCost").decimalValue()).isEqualByComparingTo("2.5");
        assertThat(budget.path("resetsAt").asLong()).isGreaterThan(System.currentTimeMillis())
                .isEqualTo(budget.path("periodStart").asLong() + 86_400_000L);

        JsonNode changed = admin.put("/api/budgets/" + id, Map.of("period", "month", "maxTokens", 5)).data();
        assertThat(changed.path("period").asText()).isEqualTo("month");
        assertThat(changed.path("maxTokens").asLong()).isEqualTo(5);
        assertThat(changed.path("message").asText()).isEqualTo("The group's AI time is up for today.");
        assertThat(admin.get("/api/budgets/" + id).data().path("maxTokens").asLong()).isEqualTo(5);
        assertThat(admin.get("/api/budgets").data()).extracting(b -> b.path("id").asText()).contains(id);

        JsonNode star = admin.post("/api/budgets", Map.of("scope", "user", "subject", "*", "period", "day", "maxTokens", 10))
                .data();
        assertThat(star.path("subjects")).isEmpty();
        assertThat(admin.get("/api/budgets/" + star.path("id").asText() + "?subject=alice").data().path("spentTokens").asLong())
                .isZero();

        assertThat(admin.delete("/api/budgets/" + id).status()).isEqualTo(200);
        Api.Response gone = admin.delete("/api/budgets/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(admin.get("/api/budgets/" + id).status()).isEqualTo(404);
        assertThat(admin.put("/api/budgets/" + id, Map.of("maxTokens", 1)).status()).isEqualTo(404);
        assertThat(admin.delete("/api/budgets/" + star.path("id").asText()).status()).isEqualTo(200);
    }

    @Test
    void should_refuse_invalid_budgets_and_clients_that_are_not_the_admin() {
        assertThat(error(admin.post("/api/budgets", Map.of("scope", "group", "subject", "g", "period", "day"))))
                .isEqualTo("A budget needs maxTokens, maxCost or both");
        assertThat(error(admin.post("/api/budgets", Map.of("scope", "group", "subject", "g", "period", "year", "maxTokens", 1))))
                .isEqualTo("period must be one of day, month, got 'year'");
        assertThat(error(admin.post("/api/budgets", Map.of("scope", "group", "subject", 7, "period", "day", "maxTokens", 1))))
                .isEqualTo("subject must be a string, got a number");
        assertThat(error(admin.post("/api/budgets", Map.of("scope", "group", "subject", "g", "period", "day", "maxTokens", -1))))
                .startsWith("maxTokens must be a whole number from 1");

        Api client = server.as(server.createKey("bot", null, null));
        for (Api.Response refused : List.of(client.get("/api/budgets"), client.get("/api/prices"),
                client.put("/api/prices", List.of()),
                client.post("/api/budgets", Map.of("scope", "user", "subject", "*", "period", "day", "maxTokens", 1)))) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().path("code").asText()).isEqualTo("FORBIDDEN");
        }
        assertThat(server.as(null).get("/api/budgets").status()).isEqualTo(401);
    }

    private static String error(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        return response.json().path("error").asText();
    }
}
