package scenario;

import static report.Cells.fmt0;
import static report.Cells.ms;
import static report.Cells.pct;
import static report.Rows.num;

import harness.BenchOptions;
import harness.Harness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import report.Report;
import report.Rows;

/**
 * Scenario {@code convlen}: a turn's cost as the conversation grows (the driver's {@code turns} mode), long
 * conversations' last turns measured interleaved with short ones' early turns, with the {@code default} preset
 * (capped history: any slowdown is the server's own) and {@code bench-full} (whole history); checks that the
 * default preset is not measurably slower (p50 ≤ +10 %).
 */
record ConvLen() implements Scenario {
    @Override
    public List<String> targets(BenchOptions o) {
        return List.of("chatai-chat");
    }

    @Override
    public void run(Harness h) throws Exception {
        BenchOptions cfg = h.options();
        Report report = h.report();
        int window = Math.min(10, cfg.convlenTurns / 2);
        report.out("");
        report.out("## convlen — cost of a turn as the conversation grows to " + cfg.convlenTurns + " turns");
        report.out("");
        report.out("On /api/chat, one request at a time, upstream answering at once: " + cfg.convlenUsers + " \"long\" users are first grown to "
                + (cfg.convlenTurns - window) + " turns and " + cfg.convlenUsers + " \"short\" users to a few; then the long users' last "
                + window + " turns and the short users' turns ~10 are sent interleaved (long, short, long, short, …), so both are measured "
                + "in the same moments, on the same database and JIT state. The `default` preset sends at most 20 history messages "
                + "(`maxContextMessages` 20, `maxContextTokens` 8000), so both send about the same prompt: any difference is the server's "
                + "own cost of a longer stored conversation (target: none). The `bench-full` preset (`maxContextMessages` 10000, "
                + "`maxContextTokens` 10,000,000) sends the whole history: its difference is what the tokens sent cost. Prompt tokens are "
                + "the fake upstream's count (request body bytes / 4).");
        report.out("");
        report.out("| preset | turns | mean ms | p50 ms | p99 ms | prompt tokens | p50 vs turns ~10 | mean vs turns ~10 |");
        report.out("|---|---|---:|---:|---:|---:|---:|---:|");
        List<Integer> turnsShown = growthTurns(cfg.convlenTurns, window);
        Map<String, Object> all = new LinkedHashMap<>();
        List<String> growthLines = new ArrayList<>();
        for (String preset : List.of("default", "bench-full")) {
            List<String> args = new ArrayList<>(List.of("turns", "--users", String.valueOf(cfg.convlenUsers), "--turns", String.valueOf(cfg.convlenTurns),
                    "--window", String.valueOf(window), "--preset", preset, "--tokens", "6", "--stall", String.valueOf(cfg.stallSeconds)));
            args.addAll(h.targets().get("chatai-chat").loadArgs(null, h.load().nextRun("conv")));
            Map<String, Object> r = h.load().load(args, line -> { });
            all.put(preset, r);
            Map<?, ?> early = (Map<?, ?>) r.get("early");
            Map<?, ?> late = (Map<?, ?>) r.get("late");
            double earlyMean = num(early, "latency_us", "mean");
            double earlyP50 = num(early, "latency_us", "p50");
            for (Map<?, ?> w : List.of(early, late)) {
                double mean = num(w, "latency_us", "mean");
                double p50 = num(w, "latency_us", "p50");
                boolean first = w == early;
                report.out("| " + preset + " | " + w.get("from") + "–" + w.get("to") + " | " + ms(mean) + " | " + ms(p50) + " | "
                        + ms(num(w, "latency_us", "p99")) + " | " + fmt0(num(w, "prompt_tokens")) + " | "
                        + (first ? "" : pct(p50 / earlyP50 - 1)) + " | " + (first ? "" : pct(mean / earlyMean - 1)) + " |");
            }
            long errors = Rows.errors(r);
            if (errors > 0) {
                report.out("| " + preset + " | errors: " + Rows.errorsCell(r) + " | | | | | | |");
            }
            List<?> growth = (List<?>) r.get("growth");
            StringBuilder g = new StringBuilder("| " + preset + " |");
            for (int turn : turnsShown) {
                Map<?, ?> m = (Map<?, ?>) growth.get(turn - 1);
                g.append(" ").append(ms(num(m, "mean_us"))).append(" (").append(fmt0(num(m, "prompt_tokens"))).append(") |");
            }
            growthLines.add(g.toString());
            if (preset.equals("default")) {
                double lateP50 = num(late, "latency_us", "p50");
                double growthP50 = lateP50 / earlyP50 - 1;
                report.check("Conversation length (default preset): turns " + late.get("from") + "–" + late.get("to") + " vs " + early.get("from") + "–"
                        + early.get("to"), "p50 " + pct(growthP50) + " (" + ms(earlyP50) + " → " + ms(lateP50) + " ms), mean "
                        + pct(num(late, "latency_us", "mean") / earlyMean - 1), "not measurably slower (p50 ≤ +10 %)", growthP50 <= 0.10 && errors == 0);
            }
        }
        report.out("");
        report.out("While growing the long conversations (turn by turn, not interleaved, so machine drift is included): mean ms (prompt tokens) of each turn");
        report.out("");
        report.out("| preset |" + turnsShown.stream().map(t -> " turn " + t + " |").collect(Collectors.joining()));
        report.out("|---|" + "---:|".repeat(turnsShown.size()));
        growthLines.forEach(report::out);
        report.results().put("convlen", all);
    }

    /** The growth turns shown: 1, 2, 5, 10, 25, 50, 100, 150 below the last grown turn, and that one. */
    private static List<Integer> growthTurns(int turns, int window) {
        int last = turns - window;
        List<Integer> list = new ArrayList<>();
        for (int t : new int[] {1, 2, 5, 10, 25, 50, 100, 150}) {
            if (t < last) {
                list.add(t);
            }
        }
        list.add(last);
        return list;
    }
}
