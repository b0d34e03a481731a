package scenario;

import static report.Cells.fmt0;
import static report.Cells.fmt1;
import static report.Cells.fmt3;
import static report.Cells.ms;
import static report.Rows.num;

import java.util.List;
import java.util.Map;
import report.Report;
import report.Rows;

/**
 * The request/response table (latency, cost, scaling): one row per run with what it added over the direct
 * fake upstream (stored into the row as {@code added_mean_ms}/{@code added_p99_ms}), then the time to first
 * token of the stream rows. Stateless.
 */
final class ResponseTable {
    private ResponseTable() {
    }

    static void print(Report report, List<Map<String, Object>> rows) {
        report.out("| target | clients | req/s | mean ms | p50 ms | p99 ms | max ms | errors | +mean ms | +p99 ms | CPU µs/req | RSS MB | host CPU % |");
        report.out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Map<String, Object> r : rows) {
            String id = (String) r.get("target");
            int clients = ((Number) r.get("clients")).intValue();
            Map<String, Object> base = Rows.baseline(rows, id, clients);
            double mean = num(r, "latency_us", "mean");
            double p99 = num(r, "latency_us", "p99");
            String addMean = "";
            String addP99 = "";
            if (base != null && base != r) {
                double am = (mean - num(base, "latency_us", "mean")) / 1000.0;
                double ap = (p99 - num(base, "latency_us", "p99")) / 1000.0;
                r.put("added_mean_ms", am);
                r.put("added_p99_ms", ap);
                addMean = fmt3(am);
                addP99 = fmt3(ap);
            }
            report.out("| " + id + " | " + clients + " | " + fmt0(num(r, "rps")) + " | " + ms(mean) + " | " + ms(num(r, "latency_us", "p50")) + " | "
                    + ms(p99) + " | " + ms(num(r, "latency_us", "max")) + " | " + Rows.errorsCell(r) + " | " + addMean + " | " + addP99 + " | "
                    + fmt1(num(r, "cpu_us_per_request")) + " | " + fmt0(num(r, "rss_peak_mb")) + " | " + fmt0(num(r, "host_cpu_pct")) + " |");
        }
        List<Map<String, Object>> streamRows = rows.stream().filter(r -> r.get("ttft_us") != null).toList();
        if (streamRows.isEmpty()) {
            return;
        }
        report.out("");
        report.out("Time to first token of the stream rows (first content delta, from the request's write):");
        report.out("");
        report.out("| target | clients | TTFT mean ms | TTFT p50 ms | TTFT p99 ms | +TTFT mean ms | +TTFT p99 ms |");
        report.out("|---|---:|---:|---:|---:|---:|---:|");
        for (Map<String, Object> r : streamRows) {
            String id = (String) r.get("target");
            Map<String, Object> base = Rows.baseline(rows, id, ((Number) r.get("clients")).intValue());
            String am = "";
            String ap = "";
            if (base != null && base != r && base.get("ttft_us") != null) {
                am = fmt3((num(r, "ttft_us", "mean") - num(base, "ttft_us", "mean")) / 1000.0);
                ap = fmt3((num(r, "ttft_us", "p99") - num(base, "ttft_us", "p99")) / 1000.0);
            }
            report.out("| " + id + " | " + r.get("clients") + " | " + ms(num(r, "ttft_us", "mean")) + " | " + ms(num(r, "ttft_us", "p50")) + " | "
                    + ms(num(r, "ttft_us", "p99")) + " | " + am + " | " + ap + " |");
        }
    }
}
