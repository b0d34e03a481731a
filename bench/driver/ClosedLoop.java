package driver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mode {@code closed}: C keep-alive connections, each sending its next request as soon as its previous answer
 * is complete (a closed loop, like wrk), spread over NIO selector threads ({@link ClosedWorker}). Requests
 * started in the warm-up are discarded; those started in the measured window are kept, also when they end
 * after it. The window's bounds are volatile: set here, read by the workers.
 */
final class ClosedLoop implements Mode {
    final RequestFactory factory;
    final int connections;
    final int threads;
    final long warmupNanos;
    final long durationNanos;
    final long stallNanos;
    final int expectTokens;
    final long usersPerConnection;
    final Outcomes outcomes = new Outcomes();
    volatile long measureStart = Long.MAX_VALUE;
    volatile long measureEnd = Long.MAX_VALUE;
    volatile boolean stopping;

    ClosedLoop(LoadOptions o) {
        factory = new RequestFactory(o);
        connections = (int) o.getLong("c", 1);
        threads = (int) Math.max(1, Math.min(connections, o.getLong("threads", 1)));
        warmupNanos = (long) (o.getDouble("warmup", 2) * 1e9);
        durationNanos = (long) (o.getDouble("duration", 10) * 1e9);
        stallNanos = (long) (o.getDouble("stall", 5) * 1e9);
        expectTokens = (int) o.getLong("tokens", 6) * factory.answerCopies;
        // Connection j talks as users j, j + C, j + 2C, ...: no two requests in flight ever share a
        // conversation, and each user gets turn after turn.
        long users = o.getLong("users", Math.max(1000, 4L * connections));
        usersPerConnection = Math.max(1, users / connections);
    }

    @Override
    public Map<String, Object> run() throws Exception {
        List<ClosedWorker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new ClosedWorker(this));
        }
        for (int j = 0; j < connections; j++) {
            workers.get(j % threads).add(j);
        }
        long start = System.nanoTime();
        Protocol.phase("warmup");
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(Thread.ofPlatform().name("load-" + t).start(workers.get(t)));
        }
        Timing.sleepUntil(start + warmupNanos);
        long cpu0 = Timing.cpuNanosOfSelf();
        measureStart = System.nanoTime();
        Protocol.phase("measure");
        Timing.sleepUntil(measureStart + durationNanos);
        measureEnd = System.nanoTime();
        long cpu1 = Timing.cpuNanosOfSelf();
        Protocol.phase("drain");
        stopping = true;
        for (Thread t : running) {
            t.join();
        }
        Latencies latencies = new Latencies();
        Latencies ttft = new Latencies();
        long stalls = 0;
        long requests = 0;
        long bytes = 0;
        long unfinished = 0;
        for (ClosedWorker w : workers) {
            latencies.addAll(w.latencies);
            ttft.addAll(w.ttft);
            stalls += w.stalls;
            requests += w.requests;
            bytes += w.bytes;
            unfinished += w.unfinished;
        }
        outcomes.stalls.set(stalls);
        double seconds = (measureEnd - measureStart) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", "closed");
        r.put("connections", connections);
        r.put("threads", threads);
        r.put("seconds", Timing.round(seconds));
        r.put("requests", requests);
        r.put("ok", outcomes.ok.get());
        r.put("rps", Timing.round(outcomes.ok.get() / seconds));
        r.put("errors", outcomes.toMap());
        r.put("stalls", stalls);
        r.put("unfinished", unfinished);
        r.put("bytes", bytes);
        r.put("latency_us", latencies.summary());
        if (factory.stream) {
            r.put("ttft_us", ttft.summary());
        }
        r.put("driver_cpu_us_per_request", requests == 0 ? 0 : Timing.round((cpu1 - cpu0) / 1000.0 / requests));
        return r;
    }

    /** Whether a request started at {@code started} belongs to the measured window. */
    boolean measured(long started) {
        return started >= measureStart && started < measureEnd;
    }
}
