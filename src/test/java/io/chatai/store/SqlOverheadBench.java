package io.chatai.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

/**
 * Micro benchmark (not a test) of what the named-parameter helper adds per statement: the per-turn
 * message insert (12 values) and a usage record (16 values, bound from the record's fields) through
 * {@link Sql}, against the same statements on hand-written positional JDBC, alternating in one JVM on
 * an in-memory SQLite. Run with
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.chatai.store.SqlOverheadBench};
 * see bench/README.md.
 */
public final class SqlOverheadBench {
    private static final int OPS = 20_000;

    record Usage(long createdAt, String route, String keyId, String userId, String groupId, String conversationId,
                 String channelId, String channel, String model, int promptTokens, int completionTokens, boolean estimated,
                 long latencyMs, Long ttftMs, String outcome, String error) { }

    private static final String MESSAGES = "INSERT INTO messages (conversation_id, seq, role, content, tokens, created_at) "
            + "VALUES (:id, :userSeq, 'user', :userMessage, :userTokens, :userAt), (:id, :replySeq, 'assistant', :reply, :replyTokens, :replyAt)";
    private static final String USAGE = "INSERT INTO usage_records (created_at, route, key_id, user_id, group_id, conversation_id, "
            + "channel_id, channel, model, prompt_tokens, completion_tokens, estimated, latency_ms, ttft_ms, outcome, error) VALUES "
            + "(:createdAt, :route, :keyId, :userId, :groupId, :conversationId, :channelId, :channel, :model, :promptTokens, "
            + ":completionTokens, :estimated, :latencyMs, :ttftMs, :outcome, :error)";

    private SqlOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE messages (conversation_id TEXT, seq INTEGER, role TEXT, content TEXT, tokens INTEGER, created_at INTEGER)");
            ddl.execute("CREATE TABLE usage_records (created_at INTEGER, route TEXT, key_id TEXT, user_id TEXT, group_id TEXT, "
                    + "conversation_id TEXT, channel_id TEXT, channel TEXT, model TEXT, prompt_tokens INTEGER, completion_tokens INTEGER, "
                    + "estimated INTEGER, latency_ms INTEGER, ttft_ms INTEGER, outcome TEXT, error TEXT)");
            Sql sql = new Sql(connection);
            System.out.printf("| round | JDBC µs/turn | named µs/turn |%n|---:|---:|---:|%n");
            for (int round = 0; round < 12; round++) {
                double jdbc = time(() -> jdbc(connection));
                double named = time(() -> named(sql));
                if (round >= 2) {
                    System.out.printf("| %d | %.2f | %.2f |%n", round - 1, jdbc, named);
                }
                ddl.execute("DELETE FROM messages");
                ddl.execute("DELETE FROM usage_records");
            }
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    /** Microseconds per turn (one message insert and one usage record). */
    private static double time(Work work) throws Exception {
        long started = System.nanoTime();
        work.run();
        return (System.nanoTime() - started) / 1e3 / OPS;
    }

    private static Usage usage(int i) {
        return new Usage(i, "chat", "key_1", "user-" + i, null, "conv_" + i, "ch_1", "main", "gpt", 30, 40, false, 3, null, "ok", null);
    }

    private static void jdbc(Connection connection) throws Exception {
        for (int i = 0; i < OPS; i++) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO messages "
                    + "(conversation_id, seq, role, content, tokens, created_at) VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, "conv_" + i);
                insert.setLong(2, i);
                insert.setString(3, "user");
                insert.setString(4, "hello");
                insert.setInt(5, 3);
                insert.setLong(6, i);
                insert.setString(7, "conv_" + i);
                insert.setLong(8, i + 1);
                insert.setString(9, "assistant");
                insert.setString(10, "hello back");
                insert.setInt(11, 4);
                insert.setLong(12, i + 1);
                insert.executeUpdate();
            }
            Usage r = usage(i);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO usage_records (created_at, route, key_id, "
                    + "user_id, group_id, conversation_id, channel_id, channel, model, prompt_tokens, completion_tokens, estimated, "
                    + "latency_ms, ttft_ms, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                insert.executeBatch();
            }
        }
    }

    private static void named(Sql sql) {
        for (int i = 0; i < OPS; i++) {
            sql.update(MESSAGES).bind("id", "conv_" + i).bind("userSeq", (long) i).bind("userMessage", "hello")
                    .bind("userTokens", 3).bind("userAt", (long) i).bind("replySeq", (long) i + 1).bind("reply", "hello back")
                    .bind("replyTokens", 4).bind("replyAt", (long) i + 1).execute();
            sql.update(USAGE).executeBatch(List.of(usage(i)));
        }
    }
}
