package io.chatai.bench;

import io.chatai.testing.Api;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Scale benchmark (not a test): fills the store with 1,000,000 conversations and 10,000,000 messages
 * (plus one conversation of 5,000 messages), then measures through the real HTTP API how long listing
 * (filters, deep offsets) and reading conversations take. Run with
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.chatai.bench.ScaleBench -Dexec.args=sqlite}
 * (or {@code postgresql}); see bench/README.md.
 */
public final class ScaleBench {
    private static final int CONVERSATIONS = Integer.getInteger("conversations", 1_000_000);
    private static final int PER_CONVERSATION = 10;
    private static final int LONG = 5_000;
    private static final int CHUNK = 100_000;

    private ScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "sqlite";
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.chatai.access")).setLevel(ch.qos.logback.classic.Level.WARN);
        System.setProperty("chatai.test.db", database);
        Path dataDir = TestServer.newDataDir();
        try (TestServer server = TestServer.start(dataDir, Map.of())) {
            long started = System.nanoTime();
            load(dataDir, database.equals("postgresql"));
            System.out.printf("Loaded %,d conversations and %,d messages into %s in %.1f s%n", CONVERSATIONS + 1,
                    (long) CONVERSATIONS * PER_CONVERSATION + LONG, database, (System.nanoTime() - started) / 1e9);
            Api api = server.admin();
            Map<String, String> queries = new LinkedHashMap<>();
            queries.put("list one user", "/api/conversations?userId=user-4242");
            queries.put("list one user in one group", "/api/conversations?userId=user-4242&groupId=group-242");
            queries.put("list one group, offset 900", "/api/conversations?groupId=group-7&offset=900");
            queries.put("list all, first page", "/api/conversations");
            queries.put("list all, offset 100,000", "/api/conversations?offset=100000");
            queries.put("list all, offset 500,000 (100 per page)", "/api/conversations?offset=500000&limit=100");
            queries.put(String.format("list all, last page (offset %,d)", CONVERSATIONS - 10), "/api/conversations?offset=" + (CONVERSATIONS - 10));
            queries.put("read a 10-message conversation", "/api/conversations/" + id(CONVERSATIONS / 2));
            queries.put("read the 5,000-message conversation", "/api/conversations/conv_benchlong000000000000");
            System.out.printf("%n| %-42s | %9s | %9s | %9s |%n", "request (" + database + ")", "p50 ms", "p99 ms", "max ms");
            System.out.println("|---|---:|---:|---:|");
            for (var query : queries.entrySet()) {
                Histogram latency = measure(api, query.getValue());
                System.out.printf("| %-42s | %9.2f | %9.2f | %9.2f |%n", query.getKey(), latency.getValueAtPercentile(50) / 1000.0,
                        latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
            }
        }
        System.exit(0); // the embedded PostgreSQL's threads would keep the JVM alive
    }

    private static Histogram measure(Api api, String path) {
        Histogram histogram = new Histogram(60_000_000L, 3);
        for (int i = 0; i < 300; i++) {
            long started = System.nanoTime();
            Api.Response response = api.get(path);
            long micros = (System.nanoTime() - started) / 1000;
            if (response.status() != 200) {
                throw new IllegalStateException(path + " answered " + response.status() + ": " + response.body());
            }
            if (i >= 50) {
                histogram.recordValue(micros); // the first 50 warm the JIT and the caches
            }
        }
        return histogram;
    }

    static String id(long n) {
        return String.format("conv_bench%015d", n);
    }

    private static void load(Path dataDir, boolean postgres) throws SQLException {
        Map<String, String> env = TestDatabases.environmentFor(dataDir);
        String url = postgres ? env.get("CHATAI_DATABASE_URL") : "jdbc:sqlite:" + dataDir.resolve("chatai.db");
        try (Connection connection = DriverManager.getConnection(url, env.get("CHATAI_DATABASE_USER"), env.get("CHATAI_DATABASE_PASSWORD"));
             Statement sql = connection.createStatement()) {
            if (!postgres) {
                sql.execute("PRAGMA journal_mode=WAL");
                sql.execute("PRAGMA synchronous=NORMAL");
                sql.execute("PRAGMA busy_timeout=60000");
            }
            connection.setAutoCommit(false);
            for (int from = 0; from < CONVERSATIONS; from += CHUNK) {
                int to = Math.min(CONVERSATIONS, from + CHUNK) - 1;
                sql.execute(postgres ? PostgresLoad.conversations(from, to) : SqliteLoad.conversations(from, to));
                sql.execute(postgres ? PostgresLoad.messages(from, to, PER_CONVERSATION) : SqliteLoad.messages(from, to, PER_CONVERSATION));
                connection.commit();
                System.out.printf("  %,d conversations loaded%n", to + 1);
            }
            sql.execute("INSERT INTO conversations (id, user_id, group_id, preset_id, created_at, updated_at, message_count, "
                    + "last_message, next_seq) VALUES ('conv_benchlong000000000000', 'long-user', '', 'default', 1600000000000, "
                    + "1600000000000, " + LONG + ", 'the last one', " + LONG + ")");
            sql.execute(postgres ? PostgresLoad.longMessages(LONG) : SqliteLoad.longMessages(LONG));
            sql.execute("UPDATE conversation_total SET total = (SELECT COUNT(*) FROM conversations) WHERE id = 1");
            connection.commit();
            connection.setAutoCommit(true);
            sql.execute(postgres ? "VACUUM ANALYZE" : "ANALYZE");
        }
    }

    /** Bulk generation in SQLite's dialect (recursive common table expressions). */
    static final class SqliteLoad {
        static String conversations(int from, int to) {
            return "WITH RECURSIVE n(i) AS (SELECT " + from + " UNION ALL SELECT i + 1 FROM n WHERE i < " + to + ") "
                    + "INSERT INTO conversations (id, user_id, group_id, preset_id, created_at, updated_at, message_count, last_message, next_seq) "
                    + "SELECT printf('conv_bench%015d', i), 'user-' || (i % 100000), 'group-' || (i % 1000), 'default', "
                    + "1700000000000 + i * 1000, 1700000000000 + i * 1000 + 500, 10, 'the last message of conversation ' || i, 10 FROM n";
        }

        static String messages(int from, int to, int per) {
            return "WITH RECURSIVE n(i) AS (SELECT " + from + " UNION ALL SELECT i + 1 FROM n WHERE i < " + to + "), "
                    + "s(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM s WHERE j < " + (per - 1) + ") "
                    + "INSERT INTO messages (conversation_id, seq, role, content, tokens, created_at) "
                    + "SELECT printf('conv_bench%015d', i), j, CASE WHEN j % 2 = 0 THEN 'user' ELSE 'assistant' END, "
                    + "'message ' || j || ' of conversation ' || i || ', long enough to look like a real chat line', 16, "
                    + "1700000000000 + i * 1000 + j FROM n, s";
        }

        static String longMessages(int count) {
            return "WITH RECURSIVE s(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM s WHERE j < " + (count - 1) + ") "
                    + "INSERT INTO messages (conversation_id, seq, role, content, tokens, created_at) "
                    + "SELECT 'conv_benchlong000000000000', j, CASE WHEN j % 2 = 0 THEN 'user' ELSE 'assistant' END, "
                    + "'message ' || j || ' of the long conversation, about as long as a real chat line is', 16, 1600000000000 + j FROM s";
        }
    }

    /** Bulk generation in PostgreSQL's dialect ({@code generate_series}). */
    static final class PostgresLoad {
        static String conversations(int from, int to) {
            return "INSERT INTO conversations (id, user_id, group_id, preset_id, created_at, updated_at, message_count, last_message, next_seq) "
                    + "SELECT 'conv_bench' || lpad(i::text, 15, '0'), 'user-' || (i % 100000), 'group-' || (i % 1000), 'default', "
                    + "1700000000000 + i::bigint * 1000, 1700000000000 + i::bigint * 1000 + 500, 10, "
                    + "'the last message of conversation ' || i, 10 FROM generate_series(" + from + ", " + to + ") i";
        }

        static String messages(int from, int to, int per) {
            return "INSERT INTO messages (conversation_id, seq, role, content, tokens, created_at) "
                    + "SELECT 'conv_bench' || lpad(i::text, 15, '0'), j, CASE WHEN j % 2 = 0 THEN 'user' ELSE 'assistant' END, "
                    + "'message ' || j || ' of conversation ' || i || ', long enough to look like a real chat line', 16, "
                    + "1700000000000 + i::bigint * 1000 + j FROM generate_series(" + from + ", " + to + ") i, generate_series(0, " + (per - 1) + ") j";
        }

        static String longMessages(int count) {
            return "INSERT INTO messages (conversation_id, seq, role, content, tokens, created_at) "
                    + "SELECT 'conv_benchlong000000000000', j, CASE WHEN j % 2 = 0 THEN 'user' ELSE 'assistant' END, "
                    + "'message ' || j || ' of the long conversation, about as long as a real chat line is', 16, 1600000000000 + j "
                    + "FROM generate_series(0, " + (count - 1) + ") j";
        }
    }
}
