package io.chatai.bench;

import io.chatai.config.ConfigLoader;
import io.chatai.core.Background;
import io.chatai.embedding.LocalEmbeddingModel;
import io.chatai.memory.Memory;
import io.chatai.memory.MemoryRecall;
import io.chatai.memory.MemoryRepository;
import io.chatai.memory.MemoryScope;
import io.chatai.preset.MemorySettings;
import io.chatai.store.Database;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.SystemPostgres;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import io.chatai.tokens.TokenCounter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;

/**
 * Benchmark (not a test) of long-term memory: (1) retrieval in one scope of 10,000 memories (the stored
 * vectors scanned and ranked, the texts read; the query's embedding measured on its own), on the real
 * database; (2) {@code POST /api/chat} latency through the real server and a fake upstream that answers at
 * once, with a preset without memory and one with memory (100 memories in the user's scope, extraction on).
 * Run with {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.chatai.bench.MemoryBench -Dexec.args="sqlite"} (or {@code postgresql}, or {@code pgvector}: (1)
 * only, on the machine's PostgreSQL 15 with pgvector, ranked in the database and then on the blob path over
 * the same rows); see bench/README.md.
 */
public final class MemoryBench {
    private static final int MEMORIES = 10_000;
    private static final int QUERIES = 300;
    private static final int CHATS = 400;

    private MemoryBench() {
    }

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "sqlite";
        if (database.equals("pgvector")) { // retrieval only, on the machine's PostgreSQL 15: pgvector, then the blobs
            try (SystemPostgres postgres = SystemPostgres.start()) {
                Map<String, String> env = postgres.environment(TestServer.newDataDir());
                retrieval("postgresql 15 + pgvector, ranked in the database", env, true, true);
                retrieval("postgresql 15 + pgvector, blob path (ranked in the server)", env, false, false);
            }
            System.exit(0);
        }
        System.setProperty("chatai.test.db", database);
        Path dataDir = TestServer.newDataDir();
        Map<String, String> env = new HashMap<>(TestDatabases.environmentFor(dataDir));
        env.put("CHATAI_DATA_DIR", dataDir.toString());
        retrieval(database, env, true, true);
        chatLatency(database);
        System.exit(0);
    }

    private static void retrieval(String database, Map<String, String> env, boolean allowPgvector, boolean insert) throws Exception {
        try (Background background = new Background();
             Database db = Database.open(ConfigLoader.load(env), null, background);
             LocalEmbeddingModel model = new LocalEmbeddingModel(Runtime.getRuntime().availableProcessors(), 1024)) {
            MemoryRepository memories = new MemoryRepository(db, allowPgvector);
            System.out.printf("%s: ranker %s%n", database, memories.ranker());
            Random random = new Random(42);
            MemoryScope scope = new MemoryScope("bench-user", null);
            long started = System.nanoTime();
            for (int i = 0; insert && i < MEMORIES; i++) {
                float[] vector = new float[LocalEmbeddingModel.DIMENSIONS];
                for (int d = 0; d < vector.length; d++) {
                    vector[d] = (float) random.nextGaussian();
                }
                memories.insert(new Memory("mem_bench" + i, scope.userId(), null, "The user fact number " + i
                        + " about something they said once", i, i, Memory.EXTRACTED, null), "fact " + i, vector, LocalEmbeddingModel.NAME);
            }
            if (insert) {
                System.out.printf("%s: inserted %,d memories in %.1f s%n", database, MEMORIES, (System.nanoTime() - started) / 1e9);
            }
            MemoryRecall recall = new MemoryRecall(memories, model, LocalEmbeddingModel.NAME, new TokenCounter());
            MemorySettings settings = new MemorySettings(true, MemorySettings.USER, null, 400);
            Histogram embed = new Histogram(3);
            Histogram turn = new Histogram(3);
            Histogram ranked = new Histogram(3);
            for (int i = 0; i < QUERIES + 50; i++) {
                String message = "What did I tell you about my plans for weekend number " + i + "?";
                long t0 = System.nanoTime();
                float[] vector = model.embed(List.of(message))[0];
                long t1 = System.nanoTime();
                String block = recall.forTurn(settings, scope.userId(), null, message);
                long t2 = System.nanoTime();
                if (block.isEmpty()) {
                    throw new IllegalStateException("nothing recalled");
                }
                String again = recall.forTurn(settings, scope.userId(), null, vector);
                long t3 = System.nanoTime();
                if (!again.equals(block)) {
                    throw new IllegalStateException("the same message recalled differently");
                }
                if (i >= 50) {
                    embed.recordValue((t1 - t0) / 1000);
                    turn.recordValue((t2 - t1) / 1000);
                    ranked.recordValue((t3 - t2) / 1000);
                }
            }
            System.out.printf("%n| %s, %,d memories in one scope | p50 ms | p99 ms | min ms |%n|---|---:|---:|---:|%n", database, MEMORIES);
            row("embed the message (local-embedding)", embed);
            row("recall for a turn (embed + scan + rank + read texts)", turn);
            row("recall without the embedding (scan + rank + read texts)", ranked);
        }
    }

    private static void chatLatency(String database) throws Exception {
        try (FakeOpenAi upstream = new FakeOpenAi(); TestServer server = TestServer.start()) {
            upstream.script(body -> body.has("response_format") ? Reply.text("{\"facts\": [\"The user asked about the weather\"]}")
                    : Reply.text("Sunny and warm."));
            server.addChannel(upstream);
            Api api = server.admin();
            api.post("/api/presets", Map.of("id", "off", "name", "Off", "systemPrompt", "You are helpful."));
            api.post("/api/presets", Map.of("id", "on", "name", "On", "systemPrompt", "You are helpful.",
                    "memory", Map.of("enabled", true)));
            for (int i = 0; i < 100; i++) {
                api.post("/api/memories", Map.of("userId", "bench-on", "text", "The user mentioned hobby number " + i));
            }
            System.out.printf("%n| %s, POST /api/chat, one client, fake upstream answering at once | p50 ms | p99 ms | min ms |%n|---|---:|---:|---:|%n",
                    database);
            for (int round = 0; round < 2; round++) {
                for (String preset : List.of("off", "on")) {
                    Histogram latency = new Histogram(3);
                    for (int i = 0; i < CHATS; i++) {
                        long t0 = System.nanoTime();
                        Api.Response response = api.post("/api/chat", Map.of("message", "How is the weather today, " + i + "?",
                                "userId", "bench-" + preset, "preset", preset, "newConversation", i % 10 == 0));
                        if (response.status() != 200) {
                            throw new IllegalStateException(response.body());
                        }
                        latency.recordValue((System.nanoTime() - t0) / 1000);
                    }
                    if (round == 1) {
                        row("memory " + preset + (preset.equals("on") ? " (100 memories, extraction after each turn)" : ""), latency);
                    }
                }
            }
        }
    }

    private static void row(String name, Histogram histogram) {
        // The minimum is what a free core pays: on a shared machine the percentiles measure the scheduler too.
        System.out.printf("| %s | %.2f | %.2f | %.2f |%n", name, histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getMinValue() / 1000.0);
    }
}
