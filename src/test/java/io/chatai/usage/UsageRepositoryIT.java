package io.chatai.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.store.Dialect;
import io.chatai.testing.TestStore;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Usage records stored in batches and summed, on the database under test. */
class UsageRepositoryIT {
    private static final long DAY = 86_400_000L;
    private static final long JAN_1 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private final TestStore store = new TestStore();
    private final UsageRepository usage = new UsageRepository(store.database());

    @AfterEach
    void close() {
        store.close();
    }

    private static UsageRecord record(long at, String userId, String groupId, String model, String channel, int prompt,
                                      int completion, String outcome) {
        return record(at, userId, groupId, model, channel, prompt, completion, outcome, null);
    }

    /** @param cost nano-units, or null for a call no price matched */
    private static UsageRecord record(long at, String userId, String groupId, String model, String channel, int prompt,
                                      int completion, String outcome, Long cost) {
        return new UsageRecord(at, "chat", "key_1", userId, groupId, userId == null ? null : "conv_1", "ch_" + channel,
                channel, model, prompt, completion, outcome.equals("ok"), 42, outcome.equals("ok") ? 7L : null, outcome,
                outcome.equals("ok") ? null : "upstream answered 500", "chat", cost);
    }

    @Test
    void should_store_every_field_of_a_batch_nulls_included() {
        usage.insert(List.of(record(JAN_1, "alice", "g1", "gpt-a", "main", 10, 5, "ok", 123_456L),
                record(JAN_1 + 1, null, null, "gpt-b", "backup", 3, 0, "error")));

        String stored = store.dump("usage_records");
        assertThat(stored).contains("|chat|key_1|alice|g1|conv_1|ch_main|main|gpt-a|10|5|", "|42|7|ok|null|123456|chat");
        assertThat(stored).contains("|chat|key_1|null|null|null|ch_backup|backup|gpt-b|3|0|",
                "|42|null|error|upstream answered 500|null|chat");
    }

    @Test
    void should_sum_within_the_range_and_filters() {
        usage.insert(List.of(
                record(JAN_1, "alice", "g1", "gpt-a", "main", 10, 5, "ok", 1_000L),
                record(JAN_1 + 1_000, "alice", null, "gpt-a", "main", 20, 6, "ok", 2_000L),
                record(JAN_1 + DAY, "bob", "g1", "gpt-b", "backup", 30, 7, "ok"),
                record(JAN_1 + DAY + 5, "bob", "g1", "gpt-b", "backup", 1, 0, "error", 0L),
                record(JAN_1 + 3 * DAY, "carol", null, "gpt-a", "main", 100, 100, "ok", 9_000L)));

        UsageRepository.Totals all = usage.totals(new UsageRepository.Filter(JAN_1, JAN_1 + 2 * DAY, null, null));
        // The unpriced call adds its 37 tokens to unpricedTokens, not to the cost; a priced call that cost 0 is priced.
        assertThat(all).isEqualTo(new UsageRepository.Totals("all", 3, 1, 61, 18, 3_000L, 37));
        assertThat(usage.totals(new UsageRepository.Filter(JAN_1, JAN_1 + 2 * DAY, "alice", null)).promptTokens()).isEqualTo(30);
        assertThat(usage.totals(new UsageRepository.Filter(JAN_1, JAN_1 + 2 * DAY, null, "g1")).promptTokens()).isEqualTo(41);
        assertThat(usage.totals(new UsageRepository.Filter(JAN_1 + 4 * DAY, JAN_1 + 5 * DAY, null, null)))
                .isEqualTo(new UsageRepository.Totals("all", 0, 0, 0, 0, 0, 0));
    }

    @Test
    void should_group_by_day_model_channel_user_and_group_with_their_costs() {
        usage.insert(List.of(
                record(JAN_1 + 5, "alice", "g1", "gpt-a", "main", 10, 5, "ok", 500L),
                record(JAN_1 + DAY + 5, "bob", null, "gpt-b", "backup", 30, 7, "ok", 700L),
                record(JAN_1 + DAY + 6, null, null, "gpt-b", "backup", 1, 0, "error", 11L)));
        UsageRepository.Filter twoDays = new UsageRepository.Filter(JAN_1, JAN_1 + 2 * DAY, null, null);

        assertThat(usage.grouped(twoDays, UsageRepository.GroupBy.DAY)).extracting(UsageRepository.Totals::key)
                .containsExactly("2026-01-01", "2026-01-02");
        assertThat(usage.grouped(twoDays, UsageRepository.GroupBy.MODEL)).extracting(UsageRepository.Totals::key, UsageRepository.Totals::requests)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("gpt-a", 1L), org.assertj.core.groups.Tuple.tuple("gpt-b", 1L));
        assertThat(usage.grouped(twoDays, UsageRepository.GroupBy.CHANNEL)).extracting(UsageRepository.Totals::key)
                .containsExactly("backup", "main");
        assertThat(usage.grouped(twoDays, UsageRepository.GroupBy.USER)).extracting(UsageRepository.Totals::key)
                .containsExactly("", "alice", "bob");
        assertThat(usage.grouped(twoDays, UsageRepository.GroupBy.GROUP)).extracting(UsageRepository.Totals::key,
                        UsageRepository.Totals::costNanos)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("", 711L), org.assertj.core.groups.Tuple.tuple("g1", 500L));
        assertThat(usage.grouped(twoDays, UsageRepository.GroupBy.DAY)).extracting(UsageRepository.Totals::costNanos)
                .containsExactly(500L, 711L);
    }

    @Test
    void should_index_only_calls_with_a_user_or_group_and_still_find_a_subjects_rows_through_those_indexes() {
        usage.insert(List.of(record(JAN_1, "alice", "g1", "gpt-a", "main", 10, 5, "ok"),
                record(JAN_1 + 1, null, null, "gpt-a", "main", 3, 0, "ok")));

        // The queries that use these indexes ask for one subject (budgets' first use, usage by user or group).
        assertThat(plan("SELECT SUM(prompt_tokens) FROM usage_records WHERE user_id = 'alice' AND created_at >= 0"))
                .contains("usage_by_user");
        assertThat(plan("SELECT SUM(prompt_tokens) FROM usage_records WHERE group_id = 'g1' AND created_at >= 0"))
                .contains("usage_by_group");
        // A call without a user or group adds no entry to them (V20: one index write less per such call).
        assertThat(indexDefinition("usage_by_user")).contains("user_id IS NOT NULL");
        assertThat(indexDefinition("usage_by_group")).contains("group_id IS NOT NULL");
        assertThat(usage.totals(new UsageRepository.Filter(JAN_1, JAN_1 + DAY, "alice", null)).promptTokens()).isEqualTo(10);
    }

    private String plan(String query) {
        return store.database().read(sql -> switch (store.database().dialect()) {
            case SQLITE -> String.join("\n", sql.query("EXPLAIN QUERY PLAN " + query).list(rs -> rs.getString("detail")));
            case POSTGRESQL -> {
                // Two rows: the planner would rather scan the table; this asks whether the index can serve the query.
                sql.update("SET enable_seqscan = off").execute();
                try {
                    yield String.join("\n", sql.query("EXPLAIN " + query).list(rs -> rs.getString(1)));
                } finally {
                    sql.update("RESET enable_seqscan").execute();
                }
            }
        });
    }

    private String indexDefinition(String name) {
        String query = store.database().dialect() == Dialect.SQLITE
                ? "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = '" + name + "'"
                : "SELECT indexdef FROM pg_indexes WHERE indexname = '" + name + "'";
        return store.database().read(sql -> sql.query(query).one(rs -> rs.getString(1)));
    }
}
