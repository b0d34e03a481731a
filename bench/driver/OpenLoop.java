package driver;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Mode {@code rate}: an open loop at a fixed request rate (the soak), each request on a virtual thread over a
 * pooled keep-alive connection, latency counted from its scheduled time (so a stalled server cannot hide behind
 * a slow generator), one {@code INTERVAL} line per interval. The current window is swapped and filled under
 * this object's lock.
 *
 * <p>Idle connections are reused newest first, as the pools of the MongoDB drivers and Infinispan do by default
 * (Apache HttpClient and Vert.x offer it): a burst's extra connections then sit unused and are closed after
 * {@link #MAX_IDLE_NANOS}, instead of every connection ever opened being cycled round-robin.
 */
final class OpenLoop implements Mode {
    private final RequestFactory factory;
    private final double rate;
    private final long durationNanos;
    private final long intervalNanos;
    private final long stallMillis;
    private final int expectTokens;
    private final long users;
    private final int maxInFlight;
    /** Closes a pooled connection idle this long, well before the server's 60 s keep-alive timeout closes it. */
    private static final long MAX_IDLE_NANOS = 30_000_000_000L;
    private final ConcurrentLinkedDeque<Idle> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Totals totals = new Totals();
    private Window window = new Window();

    /** A pooled keep-alive connection and when it was last given back. */
    private record Idle(BlockingHttp http, long since) {}

    /** The requests finished in one interval (and those not sent for the in-flight cap). */
    private static final class Window {
        final Latencies latencies = new Latencies();
        final Outcomes outcomes = new Outcomes();
        long dropped;
    }

    /** Every interval folded together; touched only by the scheduling thread. */
    private static final class Totals {
        final Latencies latencies = new Latencies();
        final Outcomes outcomes = new Outcomes();
        long dropped;
    }

    OpenLoop(LoadOptions o) {
        factory = new RequestFactory(o);
        rate = o.getDouble("rate", 100);
        durationNanos = (long) (o.getDouble("duration", 60) * 1e9);
        intervalNanos = (long) (o.getDouble("interval", 10) * 1e9);
        stallMillis = (long) (o.getDouble("stall", 5) * 1000);
        expectTokens = (int) o.getLong("tokens", 6) * factory.answerCopies;
        users = o.getLong("users", 10_000);
        maxInFlight = (int) o.getLong("max-inflight", 4096);
    }

    @Override
    public Map<String, Object> run() throws Exception {
        long start = System.nanoTime();
        double period = 1e9 / rate;
        long total = (long) (durationNanos / period);
        long nextReport = start + intervalNanos;
        long lastReport = start;
        int intervalIndex = 0;
        Protocol.phase("measure");
        for (long i = 0; i < total; i++) {
            long at = start + (long) (i * period);
            while (true) {
                long now = System.nanoTime();
                if (now >= nextReport) {
                    report(++intervalIndex, (nextReport - start) / 1e9, (nextReport - lastReport) / 1e9);
                    lastReport = nextReport;
                    nextReport += intervalNanos;
                    continue;
                }
                if (now >= at) {
                    break;
                }
                Timing.sleepUntil(Math.min(at, nextReport));
            }
            if (inFlight.get() >= maxInFlight) {
                synchronized (this) {
                    window.dropped++;
                }
                continue;
            }
            long seq = i;
            inFlight.incrementAndGet();
            Thread.ofVirtual().start(() -> {
                try {
                    one(seq, at);
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }
        long end = start + durationNanos;
        Timing.sleepUntil(end);
        long deadline = System.nanoTime() + stallMillis * 1_000_000L + 1_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
        int unfinished = inFlight.get();
        long now = System.nanoTime();
        if (end - lastReport > intervalNanos / 10) {
            report(++intervalIndex, (end - start) / 1e9, (end - lastReport) / 1e9);
        } else {
            report(0, (end - start) / 1e9, Math.max(1e-9, (now - lastReport) / 1e9)); // stragglers, not printed as a row
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", "rate");
        r.put("rate", rate);
        r.put("seconds", Timing.round((end - start) / 1e9));
        r.put("ok", totals.outcomes.ok.get());
        r.put("rps", Timing.round(totals.outcomes.ok.get() / ((end - start) / 1e9)));
        r.put("errors", totals.outcomes.toMap());
        r.put("stalls", totals.outcomes.stalls.get());
        r.put("dropped", totals.dropped);
        r.put("unfinished", unfinished);
        r.put("latency_us", totals.latencies.summary());
        Idle h;
        while ((h = idle.pollFirst()) != null) {
            h.http().close();
        }
        return r;
    }

    /** Closes the current window (requests completed since the last report) and prints it (index 0: fold in silently). */
    private void report(int index, double at, double seconds) {
        Window w;
        synchronized (this) {
            w = window;
            window = new Window();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interval", index);
        m.put("t", Timing.round(at));
        m.put("ok", w.outcomes.ok.get());
        m.put("rps", Timing.round(w.outcomes.ok.get() / seconds));
        m.put("errors", w.outcomes.errors());
        m.put("stalls", w.outcomes.stalls.get());
        m.put("dropped", w.dropped);
        m.put("in_flight", inFlight.get());
        m.put("latency_us", w.latencies.summary());
        totals.latencies.addAll(w.latencies);
        totals.outcomes.addAll(w.outcomes);
        totals.dropped += w.dropped;
        if (index > 0) {
            Protocol.interval(m);
        }
    }

    /** Records one finished request into the window current at its end. */
    private void record(long nanos, Outcome outcome, int status) {
        synchronized (this) {
            Window w = window;
            w.latencies.add(nanos);
            if (nanos > stallMillis * 1_000_000L) {
                w.outcomes.stalls.incrementAndGet();
            }
            w.outcomes.count(outcome, status);
        }
    }

    /** The most recently returned connection idle less than {@link #MAX_IDLE_NANOS}, closing staler ones; or null. */
    private BlockingHttp take() {
        Idle i;
        while ((i = idle.pollFirst()) != null) {
            if (System.nanoTime() - i.since() < MAX_IDLE_NANOS) {
                return i.http();
            }
            i.http().close();
        }
        return null;
    }

    private void one(long seq, long scheduled) {
        BlockingHttp http = take();
        try {
            if (http == null) {
                try {
                    http = new BlockingHttp(factory.host, factory.port, (int) (stallMillis * 4), false);
                } catch (IOException e) {
                    record(System.nanoTime() - scheduled, Outcome.CONNECT, 0);
                    return;
                }
            }
            http.exchange(factory.request(seq % users, seq / users));
            long now = System.nanoTime();
            ResponseParser p = http.parser;
            record(now - scheduled, Outcome.of(p, expectTokens), p.status);
            if (p.close) {
                http.close();
            } else {
                idle.addFirst(new Idle(http, System.nanoTime()));
            }
            http = null;
        } catch (IOException e) {
            record(System.nanoTime() - scheduled, Outcome.IO, 0);
        } finally {
            if (http != null) {
                http.close();
            }
        }
    }
}
