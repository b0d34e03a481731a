package scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import report.Cells;
import report.Report;
import report.Rows;

/**
 * The throughput ratios of a latency or cost run (ChatAI ÷ Portkey, ÷ nginx, ÷ direct, …) at each client
 * count, with the issue's target beside the cost ones; recorded under {@code <scenario>_ratios}. Stateless.
 */
final class Ratios {
    private static final String[][] PAIRS = {
            {"chatai-v1", "portkey", "≥ 10× (cost)"}, {"chatai-v1", "nginx", "≥ 0.5 (cost)"}, {"chatai-v1", "direct", ""},
            {"chatai-chat", "portkey", "≥ 5× (cost)"}, {"chatai-chat", "nginx", ""}, {"chatai-chat", "direct", ""},
            {"chatai-messages", "chatai-v1", "≥ 0.6 (cost)"}, {"chatai-responses", "chatai-v1", "≥ 0.6 (cost)"},
            {"nginx", "direct", ""}, {"portkey", "direct", ""},
            {"chatai-v1-stream", "portkey-stream", ""}, {"chatai-v1-stream", "nginx-stream", ""},
            {"chatai-chat-stream", "portkey-stream", ""}, {"chatai-chat-stream", "nginx-stream", ""},
    };

    private Ratios() {
    }

    static void print(Report report, String name, List<Map<String, Object>> rows) {
        List<String> lines = new ArrayList<>();
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (String[] p : PAIRS) {
            for (Map<String, Object> a : rows) {
                if (!p[0].equals(a.get("target"))) {
                    continue;
                }
                Map<String, Object> b = Rows.find(rows, p[1], ((Number) a.get("clients")).intValue());
                if (b == null || Rows.num(b, "rps") <= 0) {
                    continue;
                }
                double ratio = Rows.num(a, "rps") / Rows.num(b, "rps");
                ratios.put(p[0] + "/" + p[1] + "@" + a.get("clients"), ratio);
                lines.add("| " + p[0] + " ÷ " + p[1] + " | " + a.get("clients") + " | " + Cells.fmt2(ratio) + "× | " + (name.equals("cost") ? p[2] : "") + " |");
            }
        }
        if (!lines.isEmpty()) {
            report.out("");
            report.out("Throughput ratios (req/s of 2xx):");
            report.out("");
            report.out("| ratio | clients | value | issue's target |");
            report.out("|---|---:|---:|---|");
            lines.forEach(report::out);
        }
        report.results().put(name + "_ratios", ratios);
    }
}
