package scenario;

import static report.Cells.fmt0;
import static report.Cells.fmt1;
import static report.Cells.fmt2;
import static report.Cells.fmt3;
import static report.Cells.ms;
import static report.Rows.num;

import harness.BenchOptions;
import harness.Harness;
import harness.Machine;
import harness.Peer;
import harness.Processes;
import harness.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import report.Report;
import report.Rows;

/**
 * Scenario {@code streams}: N concurrent paced streams per stream target (the driver's {@code streams} mode),
 * capped to what the open-files limit lets one proxy hold; TTFT, completion, stalls, and the memory and threads
 * of the process under test per open stream (for ChatAI also its live heap); checks ChatAI's stream target.
 */
record Streams() implements Scenario {
    @Override
    public List<String> targets(BenchOptions o) {
        return o.streamTargets;
    }

    @Override
    public void run(Harness h) throws Exception {
        BenchOptions cfg = h.options();
        Report report = h.report();
        int n = cfg.streams;
        long hard = Machine.hardFdLimit(1 << 20);
        int capped = n;
        // A proxy holds two sockets per stream (client and upstream) in one process, plus ~100-300 fds of its own.
        if (2L * n + 400 > hard && !cfg.noStreamCap) {
            capped = (int) Math.max(100, ((hard - 400) / 2) / 100 * 100);
            report.warn("open files hard limit " + hard + " < 2 × " + n + " streams + 400: a proxy cannot hold " + n
                    + " streams; running " + capped + " (raise the hard limit, or --no-stream-cap to try anyway)");
        }
        String model = "fake-g" + cfg.streamGapMs + "-n" + cfg.streamChunks;
        double streamSeconds = (cfg.streamChunks - 1) * cfg.streamGapMs / 1000.0;
        // As slow as possible (fewest stream starts per second, so TTFT is not the server's turn-start queue)
        // while every stream is still open at once: 80 % of a stream's duration.
        double ramp = cfg.streamRampSeconds >= 0 ? cfg.streamRampSeconds : Math.max(0.1, 0.8 * streamSeconds);
        report.out("");
        report.out("## streams — " + capped + " concurrent streams, " + cfg.streamChunks + " chunks " + cfg.streamGapMs + " ms apart");
        report.out("");
        report.out("Each stream is its own connection; they open evenly over " + fmt1(ramp) + " s (" + fmt0(capped / Math.max(ramp, 0.001))
                + " new streams/s, after a warm-up of short streams) and each lasts ~" + fmt1(streamSeconds)
                + " s, so all are open at once (peak open). TTFT = time from "
                + "the request's write to the first content token; a stall = no byte for " + cfg.streamGapMs + " ms + " + fmt1(cfg.stallSeconds)
                + " s. Idle → open: the process under test before the run and when every stream has had its first token (RSS, OS threads; "
                + "for ChatAI also the live JVM heap: heap in use from /metrics right after a `jcmd GC.run`; peak = the highest heap in use, "
                + "garbage included, polled every second). Per stream = (open − idle) / streams open at that moment.");
        if (capped != n) {
            report.out("");
            report.out("**Capped from " + n + " to " + capped + " streams by the open-files hard limit (" + hard + ") — see the warnings.**");
        }
        report.out("");
        report.out("| target | streams | ok | errors | stalls | peak open | TTFT p50 ms | TTFT p99 ms | TTFT max ms | +TTFT p99 ms | total p50 s | total max s | longest silence ms | RSS idle → open MB | KB/stream | threads idle → open | heap idle → open MB | heap KB/stream |");
        report.out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> direct = null;
        for (Target t : h.targets().select(cfg.streamTargets)) {
            Map<String, Object> r = one(h, t, capped, model, ramp);
            rows.add(r);
            if (t.id().equals("direct-stream")) {
                direct = r;
            }
            row(report, t, r, capped, direct);
        }
        report.results().put("streams", rows);
        check(report, rows, n, capped);
    }

    /** One target's run: idle readings, the driver's stream ramp, readings at the plateau; returns its row. */
    private static Map<String, Object> one(Harness h, Target t, int capped, String model, double ramp) throws Exception {
        BenchOptions cfg = h.options();
        boolean chatai = t.proc().peer() == Peer.CHATAI;
        // The forced GC (live heap) comes first: it makes G1 give memory back, so RSS is read after it,
        // and at the plateau RSS is read before it.
        double heapIdle = chatai ? h.chatai().liveHeapMb() : Double.NaN;
        Processes.sleep(1000);
        Map<String, Long> idle = t.proc().status();
        Map<String, Object> open = new LinkedHashMap<>();
        int fdsIdle = t.proc().fds();
        List<String> args = new ArrayList<>(List.of("streams", "-n", String.valueOf(capped), "--ramp", String.valueOf(ramp),
                "--gap", String.valueOf(cfg.streamGapMs), "--tokens", String.valueOf(cfg.streamChunks), "--stall", String.valueOf(cfg.stallSeconds)));
        args.addAll(t.loadArgs(model, h.load().nextRun("s")));
        args.addAll(List.of("--dump", h.runDir().resolve("streams-" + t.id() + ".tsv").toString()));
        t.proc().resetPeak();
        AtomicLong heapPeak = new AtomicLong();
        Thread heapPoller = null;
        boolean[] polling = {true};
        if (chatai) {
            heapPoller = Thread.ofPlatform().daemon().start(() -> {
                while (polling[0]) {
                    double heap = h.chatai().heapUsedMb();
                    heapPeak.accumulateAndGet((long) (heap * 1024), Math::max);
                    Processes.sleep(1000);
                }
            });
        }
        Map<String, Object> result = h.load().load(args, line -> {
            if (line.startsWith("PLATEAU")) {
                Map<String, Long> s = t.proc().status();
                open.put("rss_kb", s.getOrDefault("VmRSS", 0L));
                open.put("threads", s.getOrDefault("Threads", 0L));
                open.put("fds", (long) t.proc().fds());
                open.put("open", Long.parseLong(line.replaceAll(".*open=(\\d+).*", "$1")));
                if (chatai) {
                    open.put("heap_used_mb", h.chatai().heapUsedMb());
                    open.put("heap_mb", h.chatai().liveHeapMb());
                }
            }
        });
        polling[0] = false;
        if (heapPoller != null) {
            heapPoller.join(3000);
        }
        Map<String, Long> after = t.proc().status();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target", t.id());
        r.putAll(result);
        r.put("idle", Map.of("rss_kb", idle.getOrDefault("VmRSS", 0L), "threads", idle.getOrDefault("Threads", 0L), "fds", fdsIdle,
                "heap_mb", heapIdle));
        r.put("at_plateau", open);
        r.put("rss_peak_kb", after.getOrDefault("VmHWM", 0L));
        if (chatai) {
            r.put("heap_peak_mb", heapPeak.get() / 1024.0);
        }
        long openCount = ((Number) open.getOrDefault("open", 0L)).longValue();
        double rssIdle = idle.getOrDefault("VmRSS", 0L) / 1024.0;
        double rssOpen = ((Number) open.getOrDefault("rss_kb", 0L)).doubleValue() / 1024.0;
        double heapOpen = ((Number) open.getOrDefault("heap_mb", Double.NaN)).doubleValue();
        r.put("kb_per_stream", openCount > 0 ? (rssOpen - rssIdle) * 1024 / openCount : Double.NaN);
        r.put("heap_kb_per_stream", openCount > 0 ? (heapOpen - heapIdle) * 1024 / openCount : Double.NaN);
        return r;
    }

    /** Prints a target's row (adding its TTFT p99 over the direct stream's to the row) and its progress line. */
    private static void row(Report report, Target t, Map<String, Object> r, int capped, Map<String, Object> direct) {
        boolean chatai = t.proc().peer() == Peer.CHATAI;
        Map<?, ?> idle = (Map<?, ?>) r.get("idle");
        Map<?, ?> open = (Map<?, ?>) r.get("at_plateau");
        double rssIdle = ((Number) idle.get("rss_kb")).longValue() / 1024.0;
        double rssOpen = ((Number) (open.containsKey("rss_kb") ? open.get("rss_kb") : 0L)).doubleValue() / 1024.0;
        double heapIdle = num(idle, "heap_mb");
        double heapOpen = open.containsKey("heap_mb") ? num(open, "heap_mb") : Double.NaN;
        String addTtft = "";
        if (direct != null && direct != r) {
            double add = (num(r, "ttft_us", "p99") - num(direct, "ttft_us", "p99")) / 1000.0;
            r.put("added_ttft_p99_ms", add);
            addTtft = fmt3(add);
        }
        report.out("| " + t.id() + " | " + capped + " | " + num(r, "ok").longValue() + " | " + Rows.errorsCell(r) + " | " + num(r, "stalls").longValue() + " | "
                + num(r, "peak_open").longValue() + " | " + ms(num(r, "ttft_us", "p50")) + " | " + ms(num(r, "ttft_us", "p99")) + " | "
                + ms(num(r, "ttft_us", "max")) + " | " + addTtft + " | " + fmt2(num(r, "total_us", "p50") / 1e6) + " | "
                + fmt2(num(r, "total_us", "max") / 1e6) + " | " + fmt0(num(r, "max_gap_us", "max") / 1000) + " | " + fmt0(rssIdle) + " → " + fmt0(rssOpen)
                + " | " + fmt1(num(r, "kb_per_stream")) + " | " + idle.get("threads") + " → " + (open.containsKey("threads") ? open.get("threads") : "?") + " | "
                + (chatai ? fmt0(heapIdle) + " → " + fmt0(heapOpen) + " (peak " + fmt0(num(r, "heap_peak_mb")) + ")" : "") + " | "
                + (chatai ? fmt1(num(r, "heap_kb_per_stream")) : "") + " |");
        System.err.printf(Locale.ROOT, "  streams      %-20s ok %d/%d  TTFT p99 %.3f ms  errors %s%n", t.id(), num(r, "ok").longValue(), capped,
                num(r, "ttft_us", "p99") / 1000, Rows.errorsCell(r));
    }

    private static void check(Report report, List<Map<String, Object>> rows, int n, int capped) {
        Map<String, Object> chat = rows.stream().filter(r -> "chatai-chat-stream".equals(r.get("target"))).findFirst().orElse(null);
        if (chat == null) {
            return;
        }
        long ok = num(chat, "ok").longValue();
        long errors = Rows.errors(chat);
        long stalls = num(chat, "stalls").longValue();
        Double add = chat.get("added_ttft_p99_ms") == null ? null : num(chat, "added_ttft_p99_ms");
        double heapPeak = chat.get("heap_peak_mb") == null ? Double.NaN : num(chat, "heap_peak_mb");
        report.check("Streams: " + capped + " concurrent /api/chat/stream" + (capped != n ? " (capped from " + n + ")" : ""),
                ok + " ok, " + errors + " errors, " + stalls + " stalls, peak open " + num(chat, "peak_open").longValue() + ", +TTFT p99 "
                        + (add == null ? "?" : fmt3(add) + " ms") + ", heap peak " + fmt0(heapPeak) + " MB, " + fmt1(num(chat, "kb_per_stream"))
                        + " KB RSS/stream, " + ((Map<?, ?>) chat.get("at_plateau")).get("threads") + " threads",
                "all " + n + " complete, 0 errors/stalls, +TTFT p99 ≤ 5 ms, heap ≤ 1 GB",
                capped == n && ok == n && errors == 0 && stalls == 0 && add != null && add <= 5 && heapPeak <= 1024);
    }
}
