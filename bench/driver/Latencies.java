package driver;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every latency of a run, kept whole in a growable array of nanoseconds, so its summary is exact (nothing
 * sampled or "corrected"). Not thread-safe: one per worker thread, merged at the end.
 */
final class Latencies {
    private long[] a = new long[1 << 16];
    private int n;

    void add(long v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
        }
        a[n++] = v;
    }

    void addAll(Latencies o) {
        for (int i = 0; i < o.n; i++) {
            add(o.a[i]);
        }
    }

    int count() {
        return n;
    }

    /** mean, percentiles and max in microseconds (3 decimals), exact (nearest-rank on the sorted values). */
    Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", n);
        if (n == 0) {
            return m;
        }
        long[] s = Arrays.copyOf(a, n);
        Arrays.sort(s);
        double sum = 0;
        for (long v : s) {
            sum += v;
        }
        m.put("mean", Timing.round(sum / n / 1000.0));
        m.put("min", Timing.round(s[0] / 1000.0));
        for (double p : new double[] {50, 90, 99, 99.9}) {
            m.put("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)), Timing.round(percentile(s, p) / 1000.0));
        }
        m.put("max", Timing.round(s[n - 1] / 1000.0));
        return m;
    }

    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
