package io.chatai.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.channel.CallContext;
import io.chatai.core.ApiException;
import io.chatai.core.JsonBody;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetTest {
    private static final long JAN_31_2026_2330 = Instant.parse("2026-01-31T23:30:00Z").toEpochMilli();

    private static Budget budget(Budget.Scope scope, String subject, Budget.Period period, String message) {
        return new Budget("bud_1", scope, subject, period, 100L, null, message, 0, 0);
    }

    @Test
    void should_count_days_and_months_in_utc() {
        assertThat(Instant.ofEpochMilli(Budget.Period.DAY.start(JAN_31_2026_2330))).isEqualTo("2026-01-31T00:00:00Z");
        assertThat(Instant.ofEpochMilli(Budget.Period.DAY.end(JAN_31_2026_2330))).isEqualTo("2026-02-01T00:00:00Z");
        assertThat(Instant.ofEpochMilli(Budget.Period.MONTH.start(JAN_31_2026_2330))).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(Instant.ofEpochMilli(Budget.Period.MONTH.end(JAN_31_2026_2330))).isEqualTo("2026-02-01T00:00:00Z");
        long leapDay = Instant.parse("2028-02-29T12:00:00Z").toEpochMilli();
        assertThat(Instant.ofEpochMilli(Budget.Period.MONTH.end(leapDay))).isEqualTo("2028-03-01T00:00:00Z");
        // The first millisecond of a period belongs to it, the last one of the period before to that one.
        long midnight = Instant.parse("2026-02-01T00:00:00Z").toEpochMilli();
        assertThat(Budget.Period.DAY.start(midnight)).isEqualTo(midnight);
        assertThat(Budget.Period.DAY.end(midnight - 1)).isEqualTo(midnight);
    }

    @Test
    void should_apply_to_its_subject_or_to_every_subject_of_its_scope() {
        CallContext groupChat = new CallContext("chat", "key_a", "alice", "g1", "conv_1");
        CallContext v1 = new CallContext("v1", "key_a", "alice", null, null);
        assertThat(budget(Budget.Scope.GROUP, "g1", Budget.Period.DAY, null).subjectOf(groupChat)).isEqualTo("g1");
        assertThat(budget(Budget.Scope.GROUP, "g2", Budget.Period.DAY, null).subjectOf(groupChat)).isNull();
        assertThat(budget(Budget.Scope.GROUP, "*", Budget.Period.DAY, null).subjectOf(groupChat)).isEqualTo("g1");
        assertThat(budget(Budget.Scope.GROUP, "*", Budget.Period.DAY, null).subjectOf(v1)).as("no group, no group budget").isNull();
        assertThat(budget(Budget.Scope.USER, "*", Budget.Period.DAY, null).subjectOf(v1)).isEqualTo("alice");
        assertThat(budget(Budget.Scope.KEY, "key_a", Budget.Period.DAY, null).subjectOf(v1)).isEqualTo("key_a");
    }

    @Test
    void should_tell_the_operators_message_or_a_default_naming_scope_and_period() {
        assertThat(budget(Budget.Scope.GROUP, "*", Budget.Period.DAY, null).refusal())
                .isEqualTo("This group has used its AI quota for today.");
        assertThat(budget(Budget.Scope.KEY, "*", Budget.Period.MONTH, null).refusal())
                .isEqualTo("This key has used its AI quota for this month.");
        assertThat(budget(Budget.Scope.USER, "u", Budget.Period.DAY, "Ask the admin for more.").refusal())
                .isEqualTo("Ask the admin for more.");
    }

    @Test
    void should_read_a_budget_and_refuse_one_without_a_limit_or_with_a_bad_field() {
        Budget created = BudgetForm.create(body("{\"scope\": \"group\", \"subject\": \"*\", \"period\": \"day\", "
                + "\"maxTokens\": 5000000000, \"maxCost\": 1.5, \"message\": \"Enough for today.\"}"), 7);
        assertThat(created.id()).startsWith("bud_");
        assertThat(created.maxTokens()).isEqualTo(5_000_000_000L);
        assertThat(created.maxCostNanos()).isEqualTo(1_500_000_000L);
        assertThat(created.createdAt()).isEqualTo(7);

        Budget merged = BudgetForm.merge(created, body("{\"maxTokens\": null, \"period\": \"month\"}"), 9);
        assertThat(merged.maxTokens()).isNull();
        assertThat(merged.maxCostNanos()).isEqualTo(1_500_000_000L);
        assertThat(merged.period()).isEqualTo(Budget.Period.MONTH);
        assertThat(merged.message()).isEqualTo("Enough for today.");
        assertThat(merged.updatedAt()).isEqualTo(9);

        assertThatThrownBy(() -> BudgetForm.merge(merged, body("{\"maxCost\": null}"), 10)).isInstanceOf(ApiException.class)
                .hasMessage("A budget needs maxTokens, maxCost or both");
        assertThatThrownBy(() -> BudgetForm.create(body("{\"scope\": \"team\", \"subject\": \"*\", \"period\": \"day\", "
                + "\"maxTokens\": 1}"), 0)).hasMessage("scope must be one of key, user, group, got 'team'");
        assertThatThrownBy(() -> BudgetForm.create(body("{\"scope\": \"user\", \"subject\": \"*\", \"period\": \"week\", "
                + "\"maxTokens\": 1}"), 0)).hasMessage("period must be one of day, month, got 'week'");
        assertThatThrownBy(() -> BudgetForm.create(body("{\"scope\": \"user\", \"subject\": \"*\", \"period\": \"day\", "
                + "\"maxTokens\": 1.5}"), 0)).hasMessageStartingWith("maxTokens must be a whole number from 1");
        assertThatThrownBy(() -> BudgetForm.create(body("{\"scope\": \"user\", \"subject\": \"*\", \"period\": \"day\", "
                + "\"maxCost\": \"5\"}"), 0)).hasMessage("maxCost must be a number");
        assertThatThrownBy(() -> BudgetForm.create(body("{\"scope\": \"user\", \"subject\": \"*\", \"period\": \"day\", "
                + "\"maxCost\": 0}"), 0)).hasMessageStartingWith("maxCost must be more than 0");
        assertThatThrownBy(() -> BudgetForm.create(body("{\"scope\": \"user\", \"subject\": \"" + "u".repeat(65)
                + "\", \"period\": \"day\", \"maxTokens\": 1}"), 0)).hasMessage("subject must be 1-64 characters for scope user (or \"*\")");
        assertThatThrownBy(() -> BudgetForm.create(body("{\"subject\": \"*\", \"period\": \"day\", \"maxTokens\": 1}"), 0))
                .hasMessage("scope is required");
    }

    private static JsonBody body(String json) {
        return JsonBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
