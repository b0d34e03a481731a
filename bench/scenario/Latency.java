package scenario;

import static report.Cells.fmt3;
import static report.Rows.num;

import harness.BenchOptions;
import harness.Harness;
import java.util.List;
import java.util.Map;
import report.Report;
import report.Rows;

/**
 * Scenario {@code latency}: the latency each proxy adds, 1 client against an upstream answering at once, and
 * the added-latency targets for {@code /v1} and {@code /api/chat}.
 */
record Latency() implements Scenario {
    @Override
    public List<String> targets(BenchOptions o) {
        return o.mainTargets;
    }

    @Override
    public void run(Harness h) throws Exception {
        List<Map<String, Object>> rows = ClosedGrid.run(h, "latency", "Added latency: 1 client, upstream answering at once", List.of(1),
                h.targets().select(h.options().mainTargets), "fake", 6);
        ResponseTable.print(h.report(), rows);
        Ratios.print(h.report(), "latency", rows);
        checkAdded(h.report(), rows, "chatai-v1", 0.3, 1.0, "Added latency /v1/chat/completions (1 client)");
        checkAdded(h.report(), rows, "chatai-chat", 1.0, 2.0, "Added latency /api/chat (1 client)");
        checkAdded(h.report(), rows, "chatai-messages", 0.5, 1.5, "Added latency /v1/messages to an openai channel (1 client)");
        checkAdded(h.report(), rows, "chatai-responses", 0.5, 1.5, "Added latency /v1/responses to an openai channel (1 client)");
    }

    private static void checkAdded(Report report, List<Map<String, Object>> rows, String id, double meanLimit, double p99Limit, String label) {
        Map<String, Object> r = Rows.find(rows, id, 1);
        if (r == null || r.get("added_mean_ms") == null) {
            report.check(label, "not measured", "mean ≤ " + meanLimit + " ms, p99 ≤ " + p99Limit + " ms", null);
            return;
        }
        double am = num(r, "added_mean_ms");
        double ap = num(r, "added_p99_ms");
        report.check(label, "mean +" + fmt3(am) + " ms, p99 +" + fmt3(ap) + " ms", "mean ≤ " + meanLimit + " ms, p99 ≤ " + p99Limit + " ms",
                am <= meanLimit && ap <= p99Limit && Rows.errors(r) == 0);
    }
}
