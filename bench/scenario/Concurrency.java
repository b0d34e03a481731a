package scenario;

import static report.Cells.fmt0;
import static report.Cells.fmt1;
import static report.Cells.fmt2;
import static report.Cells.fmt3;
import static report.Cells.ms;
import static report.Rows.num;

import harness.BenchOptions;
import harness.Harness;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import report.Report;
import report.Rows;

/**
 * Scenario {@code concurrency}: an upstream with a fixed time to first byte and a growing client count;
 * each level is compared with its ceiling min(best req/s, N / R0) and its mean with the queueing prediction
 * max(R0, N / best req/s), and ChatAI's targets are checked (no errors or stalls, ≥ 90 % of ceiling,
 * mean ≤ 1.10 × predicted).
 */
record Concurrency() implements Scenario {
    @Override
    public List<String> targets(BenchOptions o) {
        return o.concurrencyTargets;
    }

    @Override
    public void run(Harness h) throws Exception {
        BenchOptions cfg = h.options();
        Report report = h.report();
        List<Map<String, Object>> rows = ClosedGrid.run(h, "concurrency", "Concurrency: upstream with " + cfg.concurrencyTtfbMs + " ms to first byte",
                cfg.concurrencyClients, h.targets().select(cfg.concurrencyTargets), "fake-t" + cfg.concurrencyTtfbMs, 6);
        report.out("R0 = the target's unloaded latency: the TTFB plus its 1-client mean from the latency scenario of this run, or, "
                + "if lower or without it, its lowest mean over the levels. Ceiling = min(best req/s, N / R0): "
                + "what N clients can reach at most. Predicted mean = max(R0, N / best req/s): the latency queueing alone explains. "
                + "N/X = Little's law from the measured req/s (equals the mean in a closed loop when every client is busy).");
        report.out("");
        report.out("| target | clients | req/s | % of best | % of ceiling | mean ms | N/X ms | predicted ms | mean ÷ predicted | p50 ms | p99 ms | max ms | errors | stalls | CPU µs/req | RSS MB | host CPU % |");
        report.out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Map<String, Double> best = new LinkedHashMap<>();
        Map<String, Double> r0 = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            best.merge((String) r.get("target"), num(r, "rps"), Math::max);
            r0.merge((String) r.get("target"), num(r, "latency_us", "mean") / 1000.0, Math::min);
        }
        if (report.results().get("latency") instanceof List<?> latencyRows) {
            // The unloaded latency: the TTFB plus this target's 1-client mean with an upstream answering at once.
            for (Object o : latencyRows) {
                Map<?, ?> l = (Map<?, ?>) o;
                String id = (String) l.get("target");
                if (r0.containsKey(id)) {
                    r0.merge(id, cfg.concurrencyTtfbMs + num(l, "latency_us", "mean") / 1000.0, Math::min);
                }
            }
        }
        for (Map<String, Object> r : rows) {
            String id = (String) r.get("target");
            int clients = ((Number) r.get("clients")).intValue();
            double mean = num(r, "latency_us", "mean");
            // Below saturation N clients cannot exceed N / R0; above it the best throughput. Queueing alone
            // predicts a mean of max(R0, N / X_best).
            double rps = num(r, "rps");
            double ceiling = Math.min(best.get(id), clients / r0.get(id) * 1000.0);
            double predicted = Math.max(r0.get(id), clients / best.get(id) * 1000.0);
            double little = rps > 0 ? clients / rps * 1000.0 : Double.NaN;
            r.put("pct_of_best", rps / best.get(id) * 100);
            r.put("pct_of_ceiling", rps / ceiling * 100);
            r.put("little_ms", little);
            r.put("predicted_ms", predicted);
            r.put("mean_over_predicted", mean / 1000.0 / predicted);
            report.out("| " + id + " | " + clients + " | " + fmt0(rps) + " | " + fmt0(rps / best.get(id) * 100) + " | " + fmt0(rps / ceiling * 100) + " | "
                    + ms(mean) + " | " + fmt3(little) + " | " + fmt3(predicted) + " | " + fmt2(mean / 1000.0 / predicted) + " | "
                    + ms(num(r, "latency_us", "p50")) + " | " + ms(num(r, "latency_us", "p99")) + " | " + ms(num(r, "latency_us", "max")) + " | "
                    + Rows.errorsCell(r) + " | " + num(r, "stalls").longValue() + " | " + fmt1(num(r, "cpu_us_per_request")) + " | "
                    + fmt0(num(r, "rss_peak_mb")) + " | " + fmt0(num(r, "host_cpu_pct")) + " |");
        }
        check(report, rows, cfg.concurrencyTtfbMs);
    }

    private static void check(Report report, List<Map<String, Object>> rows, int ttfbMs) {
        for (String id : List.of("chatai-v1", "chatai-chat")) {
            List<Map<String, Object>> mine = rows.stream().filter(r -> id.equals(r.get("target"))).toList();
            if (mine.isEmpty()) {
                continue;
            }
            long errors = mine.stream().mapToLong(Rows::errors).sum();
            long stalls = mine.stream().mapToLong(r -> num(r, "stalls").longValue()).sum();
            double worstBest = mine.stream().mapToDouble(r -> num(r, "pct_of_best")).min().orElse(0);
            double worstCeiling = mine.stream().mapToDouble(r -> num(r, "pct_of_ceiling")).min().orElse(0);
            double worstPredicted = mine.stream().mapToDouble(r -> num(r, "mean_over_predicted")).max().orElse(Double.NaN);
            String levels = mine.stream().map(r -> String.valueOf(r.get("clients"))).collect(Collectors.joining(","));
            report.check("Concurrency " + id + " (" + levels + " clients, TTFB " + ttfbMs + " ms)",
                    "errors " + errors + ", stalls " + stalls + ", lowest " + fmt0(worstCeiling) + " % of ceiling (" + fmt0(worstBest)
                            + " % of best), mean ≤ " + fmt2(worstPredicted) + " × predicted",
                    "0 errors, 0 stalls, ≥ 90 % of ceiling, mean ≤ 1.10 × queueing prediction",
                    errors == 0 && stalls == 0 && worstCeiling >= 90 && worstPredicted <= 1.10);
        }
    }
}
