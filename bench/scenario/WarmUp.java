package scenario;

import harness.Harness;
import harness.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import report.Cells;

/**
 * The warm-up before the first scenario: every target the chosen scenarios load, 16 clients, long for the
 * JIT-compiled peers (ChatAI, Portkey) and 1 s for the others; nothing of it is kept. Stateless.
 */
public final class WarmUp {
    private WarmUp() {
    }

    public static void run(Harness h, List<Scenario> scenarios) throws Exception {
        double seconds = h.options().globalWarmupSeconds;
        if (seconds <= 0) {
            return;
        }
        List<String> used = new ArrayList<>();
        for (Scenario s : scenarios) {
            used.addAll(s.targets(h.options()));
        }
        List<Target> list = h.targets().select(used.stream().distinct().toList());
        h.report().out("Warm-up: " + list.stream().map(Target::id).collect(Collectors.joining(", ")) + " (16 clients; "
                + Cells.fmt1(seconds) + " s each for JIT-compiled peers, 1 s for the others)");
        for (Target t : list) {
            h.load().closedRun(t, 16, "fake", 6, t.proc().peer().jitCompiled() ? seconds : 1, 0.5, null);
        }
    }
}
