package io.chatai.usage;

import io.chatai.store.Database;
import io.chatai.store.Dialect;
import java.util.List;

/** Stores usage records and sums them. Thread-safe. */
public final class UsageRepository {
    private final Database database;

    public UsageRepository(Database database) {
        this.database = database;
    }

    /** What to sum: a time range and optional user, group and purpose ({@code chat}, {@code embedding}). */
    public record Filter(long from, long to, String userId, String groupId, String purpose) {
        /** Every purpose. */
        public Filter(long from, long to, String userId, String groupId) {
            this(from, to, userId, groupId, null);
        }
    }

    /**
     * Sums of one group (or of everything).
     *
     * @param costNanos      the cost of the priced calls, in nano-units ({@link Cost})
     * @param unpricedTokens tokens of calls no price matched (their cost is not in {@code costNanos})
     */
    public record Totals(String key, long requests, long failures, long promptTokens, long completionTokens,
                         long costNanos, long unpricedTokens) {
        public long totalTokens() {
            return promptTokens + completionTokens;
        }
    }

    /** How to group the sums. */
    public enum GroupBy { DAY, MODEL, CHANNEL, USER, GROUP, PURPOSE }

    /** Inserts a batch in one transaction, as one JDBC batch: this runs for every upstream call. */
    public void insert(List<UsageRecord> records) {
        database.update(sql -> sql.update("INSERT INTO usage_records (created_at, route, key_id, user_id, group_id, "
                        + "conversation_id, channel_id, channel, model, prompt_tokens, completion_tokens, estimated, latency_ms, "
                        + "ttft_ms, outcome, error, purpose, cost_nanos, turn_id) VALUES (:createdAt, :route, :keyId, :userId, :groupId, "
                        + ":conversationId, :channelId, :channel, :model, :promptTokens, :completionTokens, :estimated, "
                        + ":latencyMs, :ttftMs, :outcome, :error, :purpose, :costNanos, :turnId)")
                .executeBatch(records));
    }

    public Totals totals(Filter filter) {
        return query(filter, null).getFirst();
    }

    /** Sums per group, ordered by the group's key. */
    public List<Totals> grouped(Filter filter, GroupBy groupBy) {
        return query(filter, groupBy);
    }

    private List<Totals> query(Filter filter, GroupBy groupBy) {
        String key = groupBy == null ? "'all'" : switch (groupBy) {
            case DAY -> dayOf(database.dialect());
            case MODEL -> "model";
            case CHANNEL -> "channel";
            case USER -> "COALESCE(user_id, '')";
            case GROUP -> "COALESCE(group_id, '')";
            case PURPOSE -> "purpose";
        };
        StringBuilder text = new StringBuilder("SELECT " + key + " AS grp, "
                + "COALESCE(SUM(CASE WHEN outcome = 'ok' THEN 1 ELSE 0 END), 0) AS requests, "
                + "COALESCE(SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END), 0) AS failures, "
                + "COALESCE(SUM(prompt_tokens), 0) AS prompt, COALESCE(SUM(completion_tokens), 0) AS completion, "
                + "COALESCE(SUM(cost_nanos), 0) AS cost, "
                + "COALESCE(SUM(CASE WHEN cost_nanos IS NULL THEN prompt_tokens + completion_tokens ELSE 0 END), 0) AS unpriced "
                + "FROM usage_records WHERE created_at >= :from AND created_at < :to");
        if (filter.userId() != null) {
            text.append(" AND user_id = :userId");
        }
        if (filter.groupId() != null) {
            text.append(" AND group_id = :groupId");
        }
        if (filter.purpose() != null) {
            text.append(" AND purpose = :purpose");
        }
        if (groupBy != null) {
            text.append(" GROUP BY grp ORDER BY grp");
        }
        // The filter's fields bind the parameters the text names: from, to, and userId, groupId or purpose if given.
        return database.read(sql -> sql.query(text.toString())
                .bindFields(filter)
                .list(rs -> new Totals(rs.getString("grp"), rs.getLong("requests"), rs.getLong("failures"),
                        rs.getLong("prompt"), rs.getLong("completion"), rs.getLong("cost"), rs.getLong("unpriced"))));
    }

    /** The UTC day of {@code created_at} as {@code yyyy-MM-dd}, in each dialect's words. */
    private static String dayOf(Dialect dialect) {
        return switch (dialect) {
            case SQLITE -> "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')";
            case POSTGRESQL -> "to_char(to_timestamp(created_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
        };
    }
}
