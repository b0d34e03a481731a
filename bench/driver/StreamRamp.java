package driver;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Mode {@code streams}: N concurrent streams, one connection and one virtual thread each, opened evenly over a
 * ramp; records per stream the time to first token, to the end and the longest silence, counts stalls (no
 * byte for the expected gap + the stall threshold), and prints {@code PLATEAU} once every stream has had its
 * first token. Per-stream arrays are written by each stream's own thread and read after all have ended.
 */
final class StreamRamp implements Mode {
    private final LoadOptions options;
    private final RequestFactory factory;
    private final int n;
    private final long rampNanos;
    private final long gapMillis;
    private final long stallMillis;
    private final int expectTokens;
    private final Outcomes outcomes = new Outcomes();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private final AtomicInteger settled = new AtomicInteger(); // first token received, or failed
    private final long[] ttft;
    private final long[] total;
    private final long[] maxGap;
    private final long[] starts;
    private long t0;

    StreamRamp(LoadOptions o) {
        options = o;
        factory = new RequestFactory(o);
        n = (int) o.getLong("n", 1000);
        rampNanos = (long) (o.getDouble("ramp", 5) * 1e9);
        gapMillis = o.getLong("gap", 500);
        stallMillis = (long) (o.getDouble("stall", 5) * 1000);
        expectTokens = (int) o.getLong("tokens", 20);
        ttft = new long[n];
        total = new long[n];
        maxGap = new long[n];
        starts = new long[n];
        Arrays.fill(ttft, -1);
        Arrays.fill(total, -1);
    }

    @Override
    public Map<String, Object> run() throws Exception {
        StreamWarmUp.run(options, (int) options.getLong("warmup-streams", Math.min(2000, n)), stallMillis);
        CountDownLatch done = new CountDownLatch(n);
        long start = System.nanoTime();
        t0 = start;
        Protocol.phase("ramp");
        Thread monitor = Thread.ofPlatform().daemon().start(() -> {
            boolean plateau = false;
            while (done.getCount() > 0) {
                LockSupport.parkNanos(50_000_000L);
                if (!plateau && settled.get() >= n) {
                    plateau = true;
                    Protocol.plateau(open.get(), peakOpen.get());
                }
            }
        });
        for (int i = 0; i < n; i++) {
            long at = start + (n <= 1 ? 0 : rampNanos * i / (n - 1));
            Timing.sleepUntil(at);
            int index = i;
            Thread.ofVirtual().start(() -> {
                try {
                    stream(index);
                } finally {
                    done.countDown();
                }
            });
        }
        Protocol.phase("started");
        done.await();
        monitor.join(200);
        Protocol.phase("done");
        return result(start);
    }

    private Map<String, Object> result(long start) throws IOException {
        Latencies t1 = new Latencies();
        Latencies t2 = new Latencies();
        Latencies gaps = new Latencies();
        for (int i = 0; i < n; i++) {
            if (ttft[i] >= 0) {
                t1.add(ttft[i]);
            }
            if (total[i] >= 0) {
                t2.add(total[i]);
                gaps.add(maxGap[i]);
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", "streams");
        r.put("streams", n);
        r.put("ok", outcomes.ok.get());
        r.put("errors", outcomes.toMap());
        r.put("stalls", outcomes.stalls.get());
        r.put("peak_open", peakOpen.get());
        r.put("seconds", Timing.round((System.nanoTime() - start) / 1e9));
        r.put("ttft_us", t1.summary());
        r.put("total_us", t2.summary());
        r.put("max_gap_us", gaps.summary());
        String dump = options.get("dump", null);
        if (dump != null) {
            StringBuilder b = new StringBuilder("stream\tstart_ms\tttft_us\ttotal_us\tmax_gap_us\n");
            for (int i = 0; i < n; i++) {
                b.append(i).append('\t').append(Timing.round(starts[i] / 1e6)).append('\t').append(Timing.round(ttft[i] / 1e3)).append('\t')
                        .append(Timing.round(total[i] / 1e3)).append('\t').append(Timing.round(maxGap[i] / 1e3)).append('\n');
            }
            Files.writeString(Path.of(dump), b.toString());
        }
        return r;
    }

    private void stream(int i) {
        BlockingHttp http;
        try {
            http = new BlockingHttp(factory.host, factory.port, (int) (gapMillis + stallMillis), false);
        } catch (IOException e) {
            outcomes.connect.incrementAndGet();
            settled.incrementAndGet();
            return;
        }
        boolean counted = false;
        int nowOpen = open.incrementAndGet();
        peakOpen.accumulateAndGet(nowOpen, Math::max);
        long started = System.nanoTime();
        starts[i] = started - t0;
        try (http) {
            byte[] request = factory.request(i, 0);
            ResponseParser p = http.parser;
            p.reset();
            http.out.write(request);
            http.out.flush();
            while (!p.done()) {
                int read = http.in.read(http.buf);
                long now = System.nanoTime();
                if (read < 0) {
                    if (p.eof()) {
                        break;
                    }
                    throw new EOFException("closed mid-stream");
                }
                p.feed(http.buf, 0, read, now);
                if (!counted && (p.scan.tokens > 0 || p.done())) {
                    counted = true;
                    settled.incrementAndGet();
                    if (p.scan.firstTokenNanos != 0) {
                        ttft[i] = p.scan.firstTokenNanos - started;
                    }
                }
            }
            total[i] = System.nanoTime() - started;
            maxGap[i] = p.scan.maxGapNanos;
            outcomes.count(Outcome.of(p, expectTokens), p.status);
        } catch (SocketTimeoutException e) {
            outcomes.stalls.incrementAndGet();
            outcomes.io.incrementAndGet();
        } catch (IOException e) {
            outcomes.io.incrementAndGet();
        } finally {
            if (!counted) {
                settled.incrementAndGet();
            }
            open.decrementAndGet();
        }
    }
}
