package harness;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import json.JsonReader;
import report.Rows;

/**
 * Runs the load driver ({@code Load}) as its own JVM, its stderr appended to {@code load.log}: hands each
 * stdout line to the caller and returns its RESULT; and the closed-loop run with the process metrics of its
 * measured window. Also numbers the runs so each one's user ids are fresh. Used from the orchestrator's thread.
 */
public final class LoadRunner {
    private final BenchOptions cfg;
    private final Path runDir;
    private final Proc fake;
    private final long clockTicks;
    private int runCounter;

    public LoadRunner(BenchOptions cfg, Path runDir, Proc fake, long clockTicks) {
        this.cfg = cfg;
        this.runDir = runDir;
        this.fake = fake;
        this.clockTicks = clockTicks;
    }

    /** A fresh user-id prefix for the next run: {@code prefix} and the run's number. */
    public String nextRun(String prefix) {
        return prefix + (++runCounter);
    }

    /** One closed-loop run of the load driver against a target, with the process metrics of its window; scenario null prints no progress line. */
    public Map<String, Object> closedRun(Target t, int clients, String model, int tokens, double warmup, double duration, String scenario) throws Exception {
        List<String> args = new ArrayList<>(List.of("closed", "-c", String.valueOf(clients), "--threads", String.valueOf(Math.min(clients, cfg.driverThreads)),
                "--warmup", String.valueOf(warmup), "--duration", String.valueOf(duration), "--stall", String.valueOf(cfg.stallSeconds),
                "--tokens", String.valueOf(tokens)));
        args.addAll(t.loadArgs(model, nextRun("r")));
        ProcessWindow w = new ProcessWindow(t.proc(), fake, clockTicks);
        Map<String, Object> result = load(args, line -> {
            if (line.equals("PHASE measure")) {
                w.begin();
            } else if (line.equals("PHASE drain")) {
                w.end();
            }
        });
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target", t.id());
        r.put("clients", clients);
        r.put("model", model);
        r.putAll(result);
        long requests = ((Number) result.getOrDefault("requests", 0)).longValue();
        r.put("cpu_us_per_request", requests == 0 ? 0.0 : w.cpuMicros() / requests);
        r.put("upstream_cpu_us_per_request", requests == 0 || t.proc().peer() == Peer.FAKE ? null : w.upstreamCpuMicros() / requests);
        r.put("rss_peak_mb", w.peakRssKb() / 1024.0);
        r.put("threads_peak", w.peakThreads());
        r.put("host_cpu_pct", w.hostBusyPct());
        if (scenario != null) {
            System.err.printf(Locale.ROOT, "  %-12s %-20s c=%-5d %9.0f req/s  mean %8.3f ms  p99 %8.3f ms  errors %s%n", scenario, t.id(), clients,
                    Rows.num(r, "rps"), Rows.num(r, "latency_us", "mean") / 1000, Rows.num(r, "latency_us", "p99") / 1000, Rows.errorsCell(r));
        }
        return r;
    }

    /** Runs the driver with these arguments; feeds each stdout line to the listener; returns its RESULT. */
    public Map<String, Object> load(List<String> args, Consumer<String> listener) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(cfg.java);
        cmd.addAll(cfg.driverJvm);
        cmd.add("-cp");
        cmd.add(cfg.classes.toString());
        cmd.add("Load");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(runDir.resolve("load.log").toFile()));
        Process p = pb.start();
        Map<String, Object> result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) JsonReader.parse(line.substring(7));
                    result = m;
                } else {
                    listener.accept(line);
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("the load driver failed (exit " + exit + "): " + String.join(" ", args) + "; see " + runDir.resolve("load.log"));
        }
        return result;
    }
}
