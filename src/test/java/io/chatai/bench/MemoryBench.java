package io.chatai.bench;

import com.sun.management.OperatingSystemMXBean;
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
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Benchmark (not a test) of long-term memory: (1) retrieval in one scope of 10,000 memories (texts embedded by
 * the built-in model, so the vectors are real ones; the stored vectors ranked, the texts read; the query's
 * embedding measured on its own), on the real database; (2) what retrieval adds to a turn: {@code POST
 * /api/chat} through the real server on the same database and a fake upstream that answers at once, one
 * client, interleaved request by request: a preset without memory, the memory preset for a user without
 * memories, and the memory preset for the user with the 10,000 (extraction cannot be switched off in a
 * preset: the fake answers it with no facts, so both memory rows pay the same extraction call and nothing is
 * stored); (3) turns a second and the process's CPU per turn with memory off and on, at several clients (the
 * second argument, 4 by default), one conversation each.
 * Run with {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.chatai.bench.MemoryBench -Dexec.args="sqlite"} (or {@code postgresql}, or {@code pgvector}: (1)
 * only, on the machine's PostgreSQL 15 with pgvector, ranked in the database and then on the blob path over
 * the same rows); see bench/README.md.
 */
public final class MemoryBench {
    private static final int MEMORIES = 10_000;
    private static final int QUERIES = 300;
    private static final int CHATS = 600;
    /** The user whose scope holds the 10,000 memories, in (1) and in (2). */
    private static final String USER = "bench-user";
    private static final String[] WHO = {"my sister", "my boss", "my neighbour", "my son", "my oldest friend", "my dentist",
        "my landlord", "my coach", "my cousin", "my colleague"};
    private static final String[] WHAT = {"likes hiking in the Alps", "is allergic to peanuts", "plays the cello",
        "moved to Lisbon last spring", "collects old maps", "is training for a marathon", "runs a small bakery",
        "is learning Japanese", "hates flying", "grows tomatoes on the balcony", "restores vintage motorbikes",
        "teaches chemistry", "just adopted a cat", "writes detective novels", "is saving for a house"};

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
        chatLatency(database, dataDir, args.length > 1 ? Integer.parseInt(args[1]) : 4);
        System.exit(0);
    }

    private static void retrieval(String database, Map<String, String> env, boolean allowPgvector, boolean insert) throws Exception {
        try (Background background = new Background();
             Database db = Database.open(ConfigLoader.load(env), null, background);
             LocalEmbeddingModel model = new LocalEmbeddingModel(Runtime.getRuntime().availableProcessors(), 1024)) {
            MemoryRepository memories = new MemoryRepository(db, allowPgvector);
            System.out.printf("%s: ranker %s%n", database, memories.ranker());
            MemoryScope scope = new MemoryScope(USER, null);
            long started = System.nanoTime();
            for (int from = 0; insert && from < MEMORIES; from += 500) {
                List<String> texts = new ArrayList<>();
                for (int i = from; i < Math.min(MEMORIES, from + 500); i++) {
                    texts.add(fact(i));
                }
                float[][] vectors = model.embed(texts);
                for (int i = 0; i < texts.size(); i++) {
                    int n = from + i;
                    memories.insert(new Memory("mem_bench" + n, scope.userId(), null, texts.get(i), n, n, Memory.EXTRACTED, null),
                            "fact " + n, vectors[i], LocalEmbeddingModel.NAME);
                }
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

    /** One of 10,000 distinct facts, in plain words, as extraction would store them. */
    private static String fact(int i) {
        return "The user said " + WHO[i % WHO.length] + " " + WHAT[(i / WHO.length) % WHAT.length] + " (note " + i
                + ", from a chat in week " + (i % 52 + 1) + ")";
    }

    private static void chatLatency(String database, Path dataDir, int clients) throws Exception {
        try (FakeOpenAi upstream = new FakeOpenAi(); TestServer server = TestServer.start(dataDir, Map.of())) {
            upstream.script(body -> body.has("response_format") ? Reply.text("{\"facts\": []}") : Reply.text("Sunny and warm."));
            server.addChannel(upstream);
            Api api = server.admin();
            api.post("/api/presets", Map.of("id", "off", "name", "Off", "systemPrompt", "You are helpful."));
            api.post("/api/presets", Map.of("id", "on", "name", "On", "systemPrompt", "You are helpful.",
                    "memory", Map.of("enabled", true)));
            // Request by request: off, on for a user without memories, on for the user with 10,000.
            String[][] variants = {{"off", "bench-off"}, {"on", "bench-empty"}, {"on", USER}};
            Histogram[] latency = {new Histogram(3), new Histogram(3), new Histogram(3)};
            for (int i = 0; i < CHATS + 100; i++) {
                for (int v = 0; v < variants.length; v++) {
                    long t0 = System.nanoTime();
                    Api.Response response = api.post("/api/chat", Map.of("message", "How is the weather today, " + i + "?",
                            "userId", variants[v][1], "preset", variants[v][0], "newConversation", i % 10 == 0));
                    if (response.status() != 200) {
                        throw new IllegalStateException(response.body());
                    }
                    if (i >= 100) {
                        latency[v].recordValue((System.nanoTime() - t0) / 1000);
                    }
                }
            }
            System.out.printf("%n| %s, POST /api/chat, one client, fake upstream answering at once, interleaved | p50 ms | p99 ms | min ms |%n"
                    + "|---|---:|---:|---:|%n", database);
            row("memory off", latency[0]);
            row("memory on, scope empty (no retrieval; extraction answered with no facts)", latency[1]);
            row("memory on, 10,000 memories in the scope (retrieval; the same extraction)", latency[2]);
            System.out.printf("| retrieval adds (10,000 minus empty scope) | %.2f | | %.2f |%n",
                    (latency[2].getValueAtPercentile(50) - latency[1].getValueAtPercentile(50)) / 1000.0,
                    (latency[2].getMinValue() - latency[1].getMinValue()) / 1000.0);
            System.out.printf("| memory adds (10,000 minus off) | %.2f | | %.2f |%n",
                    (latency[2].getValueAtPercentile(50) - latency[0].getValueAtPercentile(50)) / 1000.0,
                    (latency[2].getMinValue() - latency[0].getMinValue()) / 1000.0);
            System.out.printf("%n| %s, POST /api/chat, %d clients for 15 s after 5 s | turns/s | CPU ms per turn (whole process) |%n"
                    + "|---|---:|---:|%n", database, clients);
            throughput("memory off", api, clients, "off", "bench-off");
            throughput("memory on, 10,000 memories in the scope", api, clients, "on", USER);
        }
    }

    /** Turns per second and the process's CPU per turn (server, client and fake upstream share this JVM). */
    private static void throughput(String name, Api api, int clients, String preset, String userId) throws Exception {
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicLong turns = new AtomicLong();
        AtomicBoolean counting = new AtomicBoolean();
        long end = System.nanoTime() + 20_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String groupId = "bench-group-" + c; // one conversation per client: turns of one conversation are serialized
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; System.nanoTime() < end; i++) {
                    Api.Response response = api.post("/api/chat", Map.of("message", "How is the weather today, " + i + "?",
                            "userId", userId, "groupId", groupId, "preset", preset, "newConversation", i % 10 == 0));
                    if (response.status() != 200) {
                        throw new IllegalStateException(response.body());
                    }
                    if (counting.get()) {
                        turns.incrementAndGet();
                    }
                }
            }));
        }
        Thread.sleep(5_000); // warm-up: the JIT, the caches, the inference threads
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        counting.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        long done = turns.get();
        double seconds = (System.nanoTime() - wall0) / 1e9;
        System.out.printf("| %s | %,.0f | %.2f |%n", name, done / seconds, (os.getProcessCpuTime() - cpu0) / 1e6 / done);
    }

    private static void row(String name, Histogram histogram) {
        // The minimum is what a free core pays: on a shared machine the percentiles measure the scheduler too.
        System.out.printf("| %s | %.2f | %.2f | %.2f |%n", name, histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getMinValue() / 1000.0);
    }
}
