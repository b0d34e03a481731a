package driver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Short unpaced streams over fresh connections, as other users, before the measured ramp, so neither the
 * driver's nor the target's code is cold (JIT) when it starts: a fresh driver JVM reads its first streams late
 * otherwise. Stateless.
 */
final class StreamWarmUp {
    private StreamWarmUp() {
    }

    static void run(LoadOptions options, int count, long stallMillis) throws InterruptedException {
        if (count <= 0) {
            return;
        }
        LoadOptions w = new LoadOptions(new String[0]);
        w.values.putAll(options.values);
        w.headers.addAll(options.headers);
        w.values.remove("model"); // unpaced: openai asks for "fake", chat for the preset's model
        w.values.put("prefix", options.get("prefix", "u") + "-warm");
        RequestFactory warm = new RequestFactory(w);
        Protocol.phase("warmup");
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int k = 0; k < 32; k++) {
            workers.add(Thread.ofVirtual().start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    try (BlockingHttp http = new BlockingHttp(warm.host, warm.port, (int) stallMillis, false)) {
                        http.exchange(warm.request(i, 0));
                    } catch (IOException e) {
                        // warm-up only
                    }
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
    }
}
