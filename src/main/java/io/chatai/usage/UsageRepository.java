package io.chatai.usage;

import io.chatai.store.Database;
import io.chatai.store.Dialect;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stores usage records and sums them. Thread-safe. */
public final class UsageRepository {
    private final Database database;

    public UsageRepository(Database database) {
        this.database = database;
    }

    /** What to sum: a time range and optional user and group. */
    public record Filter(long from, long to, String userId, String groupId) { }

    /** Sums of one group (or of everything). */
    public record Totals(String key, long requests, long failures, long promptTokens, long completionTokens) {
        public long totalTokens() {
            return promptTokens + completionTokens;
        }
    }

    /** How to group the sums. */
    public enum GroupBy { DAY, MODEL, CHANNEL, USER }

    /** Inserts a batch in one transaction, on plain JDBC: this runs for every upstream call. */
    public void insert(List<UsageRecord> records) {
        database.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO usage_records (created_at, route, key_id, "
                    + "user_id, group_id, conversation_id, channel_id, channel, model, prompt_tokens, completion_tokens, estimated, "
                    + "latency_ms, ttft_ms, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (UsageRecord r : records) {
                    insert.setLong(1, r.createdAt());
                    insert.setString(2, r.route());
                    insert.setString(3, r.keyId());
                    insert.setString(4, r.userId());
                    insert.setString(5, r.groupId());
                    insert.setString(6, r.conversationId());
                    insert.setString(7, r.channelId());
                    insert.setString(8, r.channel());
                    insert.setString(9, r.model());
                    insert.setInt(10, r.promptTokens());
                    insert.setInt(11, r.completionTokens());
                    insert.setBoolean(12, r.estimated());
                    insert.setLong(13, r.latencyMs());
                    if (r.ttftMs() == null) {
                        insert.setNull(14, Types.BIGINT);
                    } else {
                        insert.setLong(14, r.ttftMs());
                    }
                    insert.setString(15, r.outcome());
                    insert.setString(16, r.error());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
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
        };
        StringBuilder sql = new StringBuilder("SELECT " + key + " AS grp, "
                + "COALESCE(SUM(CASE WHEN outcome = 'ok' THEN 1 ELSE 0 END), 0) AS requests, "
                + "COALESCE(SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END), 0) AS failures, "
                + "COALESCE(SUM(prompt_tokens), 0) AS prompt, COALESCE(SUM(completion_tokens), 0) AS completion "
                + "FROM usage_records WHERE created_at >= :from AND created_at < :to");
        if (filter.userId() != null) {
            sql.append(" AND user_id = :userId");
        }
        if (filter.groupId() != null) {
            sql.append(" AND group_id = :groupId");
        }
        if (groupBy != null) {
            sql.append(" GROUP BY grp ORDER BY grp");
        }
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("from", filter.from());
        binds.put("to", filter.to());
        if (filter.userId() != null) {
            binds.put("userId", filter.userId());
        }
        if (filter.groupId() != null) {
            binds.put("groupId", filter.groupId());
        }
        return database.read(handle -> handle.createQuery(sql.toString())
                .bindMap(binds)
                .map((rs, ctx) -> new Totals(rs.getString("grp"), rs.getLong("requests"), rs.getLong("failures"),
                        rs.getLong("prompt"), rs.getLong("completion")))
                .list());
    }

    /** The UTC day of {@code created_at} as {@code yyyy-MM-dd}, in each dialect's words. */
    private static String dayOf(Dialect dialect) {
        return switch (dialect) {
            case SQLITE -> "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')";
            case POSTGRESQL -> "to_char(to_timestamp(created_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
        };
    }
}
