package scenario;

import harness.BenchOptions;
import harness.Harness;
import harness.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import report.Cells;
import report.Report;

/**
 * The request/response scenarios' common part: prints the heading and how a row is measured, runs every
 * client level × target in the closed loop, and records the rows under the scenario's name (later steps add
 * their derived figures to the same maps). Stateless.
 */
final class ClosedGrid {
    private ClosedGrid() {
    }

    static List<Map<String, Object>> run(Harness h, String name, String title, List<Integer> clientLevels, List<Target> targets, String model,
            int tokens) throws Exception {
        BenchOptions cfg = h.options();
        Report report = h.report();
        report.out("");
        report.out("## " + name + " — " + title);
        report.out("");
        report.out("Each row: " + Cells.fmt1(cfg.warmupSeconds) + " s warm-up, then " + Cells.fmt1(cfg.durationSeconds) + " s measured; model `" + model
                + "`; latency from request write to the last byte of the response; req/s counts 2xx responses with the complete "
                + "answer only; +mean/+p99 = the row minus the direct fake upstream (same stream kind, same clients) in this run; "
                + "CPU = CPU time of the process under test per request; RSS = its peak resident set during the measured window; "
                + "host CPU = the whole machine's busy share.");
        report.out("");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int clients : clientLevels) {
            for (Target t : targets) {
                rows.add(h.load().closedRun(t, clients, model, tokens, cfg.warmupSeconds, cfg.durationSeconds, name));
            }
        }
        report.results().put(name, rows);
        return rows;
    }
}
