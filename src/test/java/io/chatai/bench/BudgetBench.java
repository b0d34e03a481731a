package io.chatai.bench;

import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Micro benchmark (not a test) of what budgets add to a request: {@code POST /v1/chat/completions} against
 * an instant fake upstream, through the real server, without a budget, under one key budget (every request
 * reserves on one counter, the worst case for contention) and under a per-user {@code "*"} budget (each client
 * its own counter), at 1 and 16 concurrent clients. Run with
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.chatai.bench.BudgetBench -Dexec.args="sqlite 2000"}
 * (or {@code postgresql}); see bench/README.md.
 */
public final class BudgetBench {
    private BudgetBench() {
    }

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "sqlite";
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        System.setProperty("chatai.test.db", database);
        try (FakeOpenAi upstream = new FakeOpenAi(); TestServer server = TestServer.start()) {
            upstream.always(Reply.text("ok"));
            server.addChannel(upstream);
            var key = server.admin().post("/api/keys", Map.of("name", "bench-client")).data();
            String keyId = key.path("id").asText();
            Api api = server.as(key.path("key").asText());
            System.out.printf("%n| %-28s | %7s | %9s | %8s | %8s |%n", database + ": budget, clients", "requests", "req/s",
                    "p50 µs", "p99 µs");
            System.out.println("|---|---:|---:|---:|---:|");
            for (int round = 0; round < 2; round++) {
                for (String budget : List.of("none", "one key", "each user")) {
                    String id = switch (budget) {
                        case "one key" -> create(server, Map.of("scope", "key", "subject", keyId, "period", "day",
                                "maxTokens", 1_000_000_000_000L));
                        case "each user" -> create(server, Map.of("scope", "user", "subject", "*", "period", "day",
                                "maxTokens", 1_000_000_000_000L));
                        default -> null;
                    };
                    for (int clients : new int[] {1, 16}) {
                        run(api, round == 0 ? "warm-up" : budget + ", " + clients, requests, clients, round == 0);
                    }
                    if (id != null) {
                        server.admin().delete("/api/budgets/" + id);
                    }
                }
            }
        }
        System.exit(0); // the embedded PostgreSQL's threads would keep the JVM alive
    }

    private static String create(TestServer server, Map<String, Object> budget) {
        return server.admin().post("/api/budgets", budget).data().path("id").asText();
    }

    private static void run(Api api, String label, int requests, int clients, boolean quiet) throws Exception {
        Histogram micros = new Histogram(60_000_000L, 3);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                String user = "bench-user-" + c;
                done.add(pool.submit(() -> {
                    while (next.getAndIncrement() < requests) {
                        long t = System.nanoTime();
                        int status = api.post("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "user", user, "max_tokens", 100,
                                "messages", List.of(Map.of("role", "user", "content", "How much is 2 + 2?")))).status();
                        if (status != 200) {
                            failed.incrementAndGet();
                        }
                        synchronized (micros) {
                            micros.recordValue((System.nanoTime() - t) / 1_000);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " requests failed in " + label);
        }
        if (!quiet) {
            System.out.printf("| %-28s | %7d | %9.0f | %8d | %8d |%n", label, requests, requests / seconds,
                    micros.getValueAtPercentile(50), micros.getValueAtPercentile(99));
        }
    }
}
