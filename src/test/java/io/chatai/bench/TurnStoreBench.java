package io.chatai.bench;

import io.chatai.config.ConfigLoader;
import io.chatai.conversation.ConversationRepository;
import io.chatai.conversation.Scope;
import io.chatai.conversation.TurnCommit;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.store.Database;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import io.chatai.usage.UsageRecord;
import io.chatai.usage.UsageRepository;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Micro benchmark (not a test) of a turn's store work, without HTTP or an upstream: read the newest
 * history rows, commit the turn, insert one usage record, through the real repositories on the real
 * database. Reports wall time and CPU per turn at 1 and 16 concurrent writers, so two versions of the
 * persistence code can be compared on one machine. Run with
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.chatai.bench.TurnStoreBench -Dexec.args="sqlite 20000"};
 * see bench/README.md.
 */
public final class TurnStoreBench {
    private static final int CONVERSATIONS = 1_000;
    private static final ChatMessage.Assistant REPLY =
            new ChatMessage.Assistant(List.of(new Part.Text("lorem ipsum dolor sit amet ".repeat(8))));

    private TurnStoreBench() {
    }

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "sqlite";
        int turns = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        System.setProperty("chatai.test.db", database);
        Path dataDir = TestServer.newDataDir();
        Map<String, String> env = new HashMap<>(TestDatabases.environmentFor(dataDir));
        env.put("CHATAI_DATA_DIR", dataDir.toString());
        try (io.chatai.core.Background background = new io.chatai.core.Background();
             Database db = Database.open(ConfigLoader.load(env), null, background)) {
            ConversationRepository conversations = new ConversationRepository(db);
            UsageRepository usage = new UsageRepository(db);
            run(conversations, usage, "warm-up", turns, 1);
            run(conversations, usage, "warm-up", turns, 16);
            System.out.printf("%n| %-20s | %8s | %10s | %9s | %9s | %12s |%n", database + ", writers", "turns",
                    "turns/s", "p50 µs", "p99 µs", "CPU µs/turn");
            System.out.println("|---|---:|---:|---:|---:|---:|");
            for (int round = 0; round < 3; round++) {
                for (int writers : new int[] {1, 16}) {
                    run(conversations, usage, "round " + round + ", " + writers, turns, writers);
                }
            }
        }
        System.exit(0); // the embedded PostgreSQL's threads would keep the JVM alive
    }

    private static void run(ConversationRepository conversations, UsageRepository usage, String label, int turns, int writers)
            throws InterruptedException {
        Histogram latency = new Histogram(3);
        AtomicInteger next = new AtomicInteger();
        String prefix = "conv_bench" + Long.toString(System.nanoTime(), 36);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = next.getAndIncrement(); i < turns; i = next.getAndIncrement()) {
                        // Each writer keeps to its own conversations, as the gate would make it.
                        String id = prefix + "_" + writer + "_" + (i % (CONVERSATIONS / writers));
                        long t0 = System.nanoTime();
                        turn(conversations, usage, id, i);
                        mine.add(System.nanoTime() - t0);
                    }
                    synchronized (latency) {
                        mine.forEach(nanos -> latency.recordValue(nanos / 1000));
                    }
                    return null;
                }));
            }
        }
        for (var future : done) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuMicros = (os.getProcessCpuTime() - cpuBefore) / 1e3 / turns;
        if (!label.equals("warm-up")) {
            System.out.printf("| %-20s | %,8d | %,10.0f | %9d | %9d | %12.1f |%n", label, turns, turns / seconds,
                    latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), cpuMicros);
        }
    }

    private static void turn(ConversationRepository conversations, UsageRepository usage, String id, int i) {
        conversations.recentMessages(id, 20);
        long now = System.currentTimeMillis();
        Scope scope = new Scope("user-" + id, "group-1");
        conversations.commit(new TurnCommit(id, scope, "default", true,
                new ChatMessage.User(List.of(new Part.Text("message " + i)), null), 3, now, REPLY, 40, now,
                "req-" + i, "fake", new TokenUsage(30, 40, false)), fence -> { });
        usage.insert(List.of(new UsageRecord(now, "chat", "admin", scope.userId(), scope.groupId(), id, "ch_1", "fake",
                "fake", 30, 40, false, 3, null, "ok", null)));
    }
}
