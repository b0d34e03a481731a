package scenario;

import static report.Cells.fmt0;
import static report.Cells.fmt1;
import static report.Rows.num;

import harness.BenchOptions;
import harness.Harness;
import java.util.List;
import java.util.Map;
import report.Report;
import report.Rows;

/**
 * Scenario {@code cost}: throughput and CPU per request at 64 clients against an upstream answering at once,
 * the ratios between the proxies, and the cost targets (ChatAI vs Portkey and nginx, no errors).
 */
record Cost() implements Scenario {
    @Override
    public List<String> targets(BenchOptions o) {
        return o.mainTargets;
    }

    @Override
    public void run(Harness h) throws Exception {
        List<Map<String, Object>> rows = ClosedGrid.run(h, "cost", "Cost per request: 64 clients, upstream answering at once", List.of(64),
                h.targets().select(h.options().mainTargets), "fake", 6);
        ResponseTable.print(h.report(), rows);
        Ratios.print(h.report(), "cost", rows);
        check(h.report(), rows);
    }

    private static void check(Report report, List<Map<String, Object>> rows) {
        Map<String, Object> v1 = Rows.find(rows, "chatai-v1", 64);
        Map<String, Object> chat = Rows.find(rows, "chatai-chat", 64);
        Map<String, Object> pk = Rows.find(rows, "portkey", 64);
        Map<String, Object> ng = Rows.find(rows, "nginx", 64);
        if (v1 != null && pk != null) {
            double r = num(v1, "rps") / num(pk, "rps");
            report.check("Cost: /v1 req/s vs Portkey (64 clients)", fmt1(r) + "×", "≥ 10×", r >= 10);
        }
        if (v1 != null && ng != null) {
            double r = num(v1, "rps") / num(ng, "rps");
            report.check("Cost: /v1 req/s vs nginx (64 clients)", fmt0(r * 100) + " %", "≥ 50 %", r >= 0.5);
        }
        if (chat != null && pk != null) {
            double r = num(chat, "rps") / num(pk, "rps");
            report.check("Cost: /api/chat req/s vs Portkey (64 clients)", fmt1(r) + "×", "≥ 5×", r >= 5);
        }
        for (String front : new String[] {"chatai-messages", "chatai-responses"}) {
            Map<String, Object> row = Rows.find(rows, front, 64);
            if (row != null && v1 != null) {
                double r = num(row, "rps") / num(v1, "rps");
                report.check("Cost: " + front + " req/s vs /v1/chat/completions (64 clients)", fmt0(r * 100) + " %", "≥ 60 %", r >= 0.6);
            }
        }
        long e = (v1 == null ? 0 : Rows.errors(v1)) + (chat == null ? 0 : Rows.errors(chat));
        if (v1 != null || chat != null) {
            report.check("Cost: errors on ChatAI (64 clients)", String.valueOf(e), "0", e == 0);
        }
    }
}
