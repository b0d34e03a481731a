import driver.LoadOptions;
import driver.Mode;
import driver.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark's load driver (JDK only; its engines are in {@code bench/driver/}). Every latency is measured
 * with {@code System.nanoTime()} around the exchange and kept whole (a long per request, sorted at the end), so
 * means and percentiles are exact to the microsecond; nothing is sampled or "corrected".
 *
 * <p>Modes:
 * <ul>
 * <li>{@code closed} ({@code driver/ClosedLoop.java}): C keep-alive connections, each sending its next request
 *     as soon as its previous answer is complete (a closed loop, like wrk, on NIO selector threads). Requests
 *     started during the warm-up are discarded; requests started during the measured window are kept, also
 *     when they end after it (so slow ones are not cut off).</li>
 * <li>{@code streams} ({@code driver/StreamRamp.java}): N concurrent streams, one connection each, opened
 *     evenly over a ramp, each on a virtual thread; records per stream the time to first token, to the end,
 *     the longest silence, and counts stalls (no byte for the expected gap + the stall threshold).</li>
 * <li>{@code rate} ({@code driver/OpenLoop.java}): an open loop at a fixed request rate (for the soak), latency
 *     counted from each request's scheduled time (so a stalled server cannot hide behind a slow generator),
 *     one JSON line per interval.</li>
 * <li>{@code turns} ({@code driver/Turns.java}): a few users each sending T turns in sequence on one connection
 *     (conversations grow to T turns), latency and prompt tokens per turn.</li>
 * </ul>
 *
 * A response counts as ok when its status is 2xx and its body holds exactly the expected number of the
 * fake upstream's content tokens ("lorem"), whatever format the target speaks (OpenAI JSON, OpenAI SSE,
 * ChatAI JSON, ChatAI SSE); a ChatAI SSE {@code "type":"error"} event makes it an error. Results are one
 * line {@code RESULT {json}} on stdout (latencies in microseconds); phases are announced with
 * {@code PHASE name} lines so an orchestrator can sample the servers at the right moments.
 *
 * <pre>
 * java bench/Load.java closed  --url http://127.0.0.1:3000/api/chat --kind chat --auth KEY -c 64 --warmup 5 --duration 20
 * java bench/Load.java streams --url http://127.0.0.1:3000/api/chat/stream --kind chat --auth KEY --model fake-g500-n20 --tokens 20 -n 1000 --ramp 5 --gap 500
 * java bench/Load.java rate    --url http://127.0.0.1:3000/api/chat --kind chat --auth KEY --rate 500 --duration 60 --interval 10
 * java bench/Load.java turns   --url http://127.0.0.1:3000/api/chat --auth KEY --users 10 --turns 200 --preset default
 * </pre>
 * Options shared by all modes: {@code --url}, {@code --kind openai|chat|messages|responses}, {@code --model M} (openai default
 * {@code fake}; chat: sent only when given), {@code --stream} (ask for a stream; for chat point the URL at
 * /api/chat/stream), {@code --auth TOKEN}, {@code -H "Name: value"} (repeatable), {@code --tokens N}
 * (expected content tokens, default 6; 0 skips the check), {@code --prefix P} (user ids), {@code --stall S}
 * (seconds; default 5).
 */
public class Load {
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: java bench/Load.java closed|streams|rate|turns [options] (see the source's header)");
            System.exit(2);
        }
        loadAllClasses();
        LoadOptions options = new LoadOptions(Arrays.copyOfRange(args, 1, args.length));
        Protocol.result(Mode.named(args[0], options).run());
        System.exit(0);
    }

    /**
     * Run from source ({@code java bench/Load.java}), each other file is compiled when its class is first loaded,
     * which would land in a measured window (it halved a 2-second closed run here); loading every class of the
     * driver first keeps compilation before any clock starts. Compiled runs (bench/run.sh) skip this.
     */
    private static void loadAllClasses() throws Exception {
        String source = System.getProperty("jdk.launcher.sourcefile"); // set by the source launcher only
        if (source == null) {
            return;
        }
        Path root = Path.of(source).toAbsolutePath().getParent();
        for (String pkg : List.of("driver", "json")) {
            try (Stream<Path> files = Files.list(root.resolve(pkg))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    Class.forName(pkg + "." + f.getFileName().toString().replace(".java", ""), false, Load.class.getClassLoader());
                }
            }
        }
    }
}
