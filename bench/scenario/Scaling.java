package scenario;

import static report.Cells.fmt0;
import static report.Cells.ms;
import static report.Rows.num;

import harness.BenchOptions;
import harness.Harness;
import harness.Target;
import java.util.List;
import java.util.Map;
import report.Report;
import report.Rows;

/** Scenario {@code scaling}: throughput and p99 per target as the client count grows, upstream answering at once, with a summary table. */
record Scaling() implements Scenario {
    @Override
    public List<String> targets(BenchOptions o) {
        return o.scalingTargets;
    }

    @Override
    public void run(Harness h) throws Exception {
        List<Integer> levels = h.options().scalingClients;
        List<Target> targets = h.targets().select(h.options().scalingTargets);
        List<Map<String, Object>> rows = ClosedGrid.run(h, "scaling", "Scaling: upstream answering at once", levels, targets, "fake", 6);
        ResponseTable.print(h.report(), rows);
        summary(h.report(), rows, levels, targets);
    }

    private static void summary(Report report, List<Map<String, Object>> rows, List<Integer> levels, List<Target> targets) {
        report.out("");
        report.out("Scaling summary (req/s / p99 ms):");
        report.out("");
        StringBuilder header = new StringBuilder("| target |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int c : levels) {
            header.append(' ').append(c).append(" clients |");
            rule.append("---:|");
        }
        report.out(header.toString());
        report.out(rule.toString());
        for (Target t : targets) {
            StringBuilder line = new StringBuilder("| " + t.id() + " |");
            for (int c : levels) {
                Map<String, Object> r = Rows.find(rows, t.id(), c);
                line.append(' ').append(r == null ? "" : fmt0(num(r, "rps")) + " / " + ms(num(r, "latency_us", "p99"))).append(" |");
            }
            report.out(line.toString());
        }
    }
}
