package scenario;

import static report.Cells.duration;
import static report.Cells.fmt0;
import static report.Cells.fmt1;
import static report.Cells.ms;
import static report.Rows.num;

import harness.BenchOptions;
import harness.Harness;
import harness.Peer;
import harness.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import json.JsonReader;
import report.Report;
import report.Rows;

/**
 * Scenario {@code soak}: one target at half its best measured req/s as an open loop (the driver's {@code rate}
 * mode): a warm-up at that rate, then the soak proper, one row per interval with the process's RSS against its
 * value at the end of the warm-up. Checks, over the soak proper only: no errors or stalls, p99 within
 * {@link #P99_LIMIT_MS} in every interval, RSS within ±10 %. The warm-up's rows are printed and summed apart,
 * never hidden: they show how a server that has barely started copes with the full rate.
 */
record Soak() implements Scenario {
    /** Issue 20, point 5: the p99 every minute of the soak must stay within. */
    static final double P99_LIMIT_MS = 250;

    @Override
    public List<String> targets(BenchOptions o) {
        return List.of("chatai-chat");
    }

    @Override
    public void run(Harness h) throws Exception {
        BenchOptions cfg = h.options();
        Report report = h.report();
        Target t = h.targets().get(cfg.soakTarget);
        if (t == null) {
            throw new IllegalArgumentException("unknown soak target " + cfg.soakTarget);
        }
        double max = Double.NaN;
        String source;
        if (cfg.soakRate > 0) {
            source = "--soak-rate";
            max = cfg.soakRate * 2;
        } else {
            max = bestMeasured(report, t);
            source = "the best req/s of " + t.id() + " measured above";
            if (Double.isNaN(max)) {
                Map<String, Object> probe = h.load().closedRun(t, 64, "fake", 6, cfg.warmupSeconds, Math.max(5, cfg.durationSeconds / 2), "soak-probe");
                max = num(probe, "rps");
                source = "a " + fmt0(Math.max(5, cfg.durationSeconds / 2)) + " s probe at 64 clients";
            }
        }
        double rate = Math.max(1, Math.floor(max / 2));
        report.out("");
        double warmup = cfg.soakWarmupSeconds;
        report.out("## soak — " + t.id() + " at " + fmt0(rate) + " req/s for " + duration(cfg.soakSeconds) + " after a warm-up of "
                + duration(warmup));
        report.out("");
        report.out("Half the maximum (" + fmt0(max) + " req/s, from " + source + "), as an open loop: requests are sent on a fixed schedule and latency "
                + "counts from each request's scheduled time, so a pause of the server shows up in full. The first " + duration(warmup)
                + " (rows marked warm-up) run at the same rate right after the global warm-up and are not part of the verdict; RSS is compared with "
                + "its value at their end.");
        report.out("");
        report.out("| t s | req/s | errors | stalls | p50 ms | p99 ms | max ms | RSS MB | RSS vs warm-up | heap MB | threads |");
        report.out("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<String> args = new ArrayList<>(List.of("rate", "--rate", String.valueOf(rate), "--duration", String.valueOf(warmup + cfg.soakSeconds),
                "--interval", String.valueOf(cfg.soakIntervalSeconds), "--stall", String.valueOf(cfg.stallSeconds), "--tokens", "6"));
        args.addAll(t.loadArgs("fake", h.load().nextRun("soak")));
        List<Map<String, Object>> intervals = new ArrayList<>();
        Window warm = new Window();
        Window soak = new Window();
        double[] baseline = {Double.NaN};
        double[] worstDev = {0};
        t.proc().resetPeak();
        Map<String, Object> result = h.load().load(args, line -> {
            if (!line.startsWith("INTERVAL ")) {
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) JsonReader.parse(line.substring(9));
            Map<String, Long> s = t.proc().status();
            double rss = s.getOrDefault("VmRSS", 0L) / 1024.0;
            double heap = t.proc().peer() == Peer.CHATAI ? h.chatai().heapUsedMb() : Double.NaN;
            m.put("rss_mb", rss);
            m.put("heap_mb", heap);
            m.put("threads", s.getOrDefault("Threads", 0L));
            double at = num(m, "t");
            String dev = "";
            boolean warming = at <= warmup + 1e-6;
            m.put("warmup", warming);
            double p99Us = num(m, "latency_us", "p99"); // NaN for a row in which nothing finished
            (warming ? warm : soak).add(num(m, "errors").longValue(), num(m, "stalls").longValue(), Double.isNaN(p99Us) ? 0 : p99Us / 1000);
            if (warming && at < warmup - 1e-6) {
                dev = "warm-up";
            } else if (Double.isNaN(baseline[0])) {
                baseline[0] = rss;
                dev = warming ? "warm-up, baseline" : "baseline";
            } else {
                double d = (rss / baseline[0] - 1) * 100;
                worstDev[0] = Math.abs(d) > Math.abs(worstDev[0]) ? d : worstDev[0];
                m.put("rss_dev_pct", d);
                dev = (d >= 0 ? "+" : "") + fmt1(d) + " %";
            }
            intervals.add(m);
            Map<?, ?> lat = (Map<?, ?>) m.get("latency_us");
            report.out("| " + fmt0(at) + " | " + fmt0(num(m, "rps")) + " | " + num(m, "errors").longValue() + " | " + num(m, "stalls").longValue() + " | "
                    + (lat.get("p50") == null ? "" : ms(((Number) lat.get("p50")).doubleValue())) + " | "
                    + (lat.get("p99") == null ? "" : ms(((Number) lat.get("p99")).doubleValue())) + " | "
                    + (lat.get("max") == null ? "" : ms(((Number) lat.get("max")).doubleValue())) + " | " + fmt0(rss) + " | " + dev + " | "
                    + fmt0(heap) + " | " + m.get("threads") + " |");
        });
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target", t.id());
        r.put("rate", rate);
        r.put("max_measured", max);
        r.putAll(result);
        r.put("intervals", intervals);
        r.put("rss_baseline_mb", baseline[0]);
        r.put("rss_worst_dev_pct", worstDev[0]);
        report.results().put("soak", r);
        r.put("warmup_seconds", warmup);
        r.put("warmup_errors", warm.errors);
        r.put("warmup_stalls", warm.stalls);
        r.put("warmup_worst_p99_ms", warm.worstP99Ms);
        // Requests finishing after the last row (folded into the totals only) belong to the soak proper.
        long soakErrors = Rows.errors(r) - warm.errors;
        long soakStalls = num(r, "stalls").longValue() - warm.stalls;
        long unfinished = num(r, "unfinished").longValue();
        r.put("soak_errors", soakErrors);
        r.put("soak_stalls", soakStalls);
        r.put("soak_worst_p99_ms", soak.worstP99Ms);
        report.out("");
        report.out("Whole run (warm-up included): " + num(r, "ok").longValue() + " ok, " + Rows.errors(r) + " errors, " + num(r, "stalls").longValue()
                + " stalls, " + num(r, "dropped").longValue() + " not sent (in-flight cap), latency p50 " + ms(num(r, "latency_us", "p50"))
                + " ms, p99 " + ms(num(r, "latency_us", "p99")) + " ms, max " + ms(num(r, "latency_us", "max")) + " ms.");
        report.out("Warm-up (" + duration(warmup) + "): " + warm.errors + " errors, " + warm.stalls + " stalls, worst interval p99 "
                + fmt1(warm.worstP99Ms) + " ms. Soak (" + duration(cfg.soakSeconds) + "): " + soakErrors + " errors, " + soakStalls
                + " stalls, " + unfinished + " unfinished at the end, worst interval p99 " + fmt1(soak.worstP99Ms) + " ms; RSS after warm-up " + fmt0(baseline[0])
                + " MB, worst deviation " + fmt1(worstDev[0]) + " %.");
        report.check("Soak: " + t.id() + " " + duration(cfg.soakSeconds) + " at " + fmt0(rate) + " req/s after " + duration(warmup) + " of warm-up",
                soakErrors + " errors, " + soakStalls + " stalls, worst p99 " + fmt1(soak.worstP99Ms) + " ms, RSS within " + fmt1(worstDev[0]) + " %",
                "0 errors or stalls, p99 ≤ " + fmt0(P99_LIMIT_MS) + " ms every interval, RSS ±10 %",
                soak.intervals > 0 && soakErrors == 0 && soakStalls == 0 && unfinished == 0 && soak.worstP99Ms <= P99_LIMIT_MS && Math.abs(worstDev[0]) <= 10
                        && !Double.isNaN(baseline[0]));
    }

    /** Sums over the rows of one phase (warm-up or soak); filled by the driver's reader thread only. */
    private static final class Window {
        long intervals;
        long errors;
        long stalls;
        double worstP99Ms;

        void add(long errors, long stalls, double p99Ms) {
            intervals++;
            this.errors += errors;
            this.stalls += stalls;
            worstP99Ms = Math.max(worstP99Ms, p99Ms);
        }
    }

    /** The best req/s of this target with the unpaced upstream in an earlier scenario of this run, NaN if none. */
    private static double bestMeasured(Report report, Target t) {
        double max = Double.NaN;
        for (String key : List.of("cost", "scaling", "concurrency", "latency")) {
            if (report.results().get(key) instanceof List<?> list) {
                for (Object o : list) {
                    Map<?, ?> r = (Map<?, ?>) o;
                    if (t.id().equals(r.get("target")) && "fake".equals(r.get("model"))) {
                        double rps = ((Number) r.get("rps")).doubleValue();
                        max = Double.isNaN(max) ? rps : Math.max(max, rps);
                    }
                }
            }
        }
        return max;
    }
}
