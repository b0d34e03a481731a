package harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The orchestrator's options ({@code bench/run.sh --help}): defaults, the {@code --quick} smoke preset, then
 * each flag. Filled once by {@link #parse} and only read afterwards.
 */
public final class BenchOptions {
    public static final List<String> SCENARIOS = List.of("latency", "cost", "scaling", "concurrency", "convlen", "streams", "soak");
    public static final List<String> ALL_TARGETS = List.of("direct", "nginx", "portkey", "chatai-v1", "chatai-chat",
            "chatai-messages", "chatai-responses",
            "direct-stream", "nginx-stream", "portkey-stream", "chatai-v1-stream", "chatai-chat-stream",
            "chatai-messages-stream", "chatai-responses-stream");
    public static final String USAGE = """
            usage: bench/run.sh [options]
              --quick                  ~2-minute smoke run of every scenario (short, few clients, 200 streams)
              --only a,b               scenarios to run, in this order: latency,cost,scaling,concurrency,convlen,streams,soak
              --skip a,b               scenarios to leave out (e.g. --skip soak)
              --duration 20s           measured time of each request/response run (default 20s; quick 2s)
              --warmup 5s              warm-up before each run, discarded (default 5s; quick 1s)
              --global-warmup 15s      warm-up of each JIT-compiled target before the first scenario (default 15s; quick 2s)
              --targets a,b            targets of latency and cost (default: all fourteen)
                                       direct nginx portkey chatai-v1 chatai-chat chatai-messages chatai-responses,
                                       and each with -stream
              --scaling-clients 1,16,64,256,1024   --scaling-targets direct,nginx,portkey,chatai-v1,chatai-chat
              --concurrency-clients 64,128,256,512,1024   --concurrency-targets direct,nginx,chatai-v1,chatai-chat
              --concurrency-ttfb 20    upstream time to first byte in the concurrency scenario, ms
              --streams 10000          concurrent streams (quick 200)   --stream-chunks 20   --stream-gap 500 (ms)
              --stream-ramp 7.6s       time over which the streams open (default 80 % of a stream's duration)
              --stream-targets direct-stream,nginx-stream,portkey-stream,chatai-v1-stream,chatai-chat-stream
              --no-stream-cap          run the full stream count even when the open-files limit cannot hold it
              --no-live-heap           do not force a GC (jcmd GC.run) in ChatAI to read its live heap per stream
              --convlen-turns 200      --convlen-users 10
              --soak 30m               soak duration after its warm-up (quick 8s)   --soak-rate N (default: half the best measured)
              --soak-target chatai-chat   --soak-interval 60s   --soak-warmup 2m (same rate, before the soak, outside its verdict)
              --stall 5s               a request or stream silent this long (beyond the pacing) is a stall
              --driver-threads 1       selector threads of the load driver
              --jar PATH               the ChatAI jar (default target/chatai-server.jar)
              --jvm-opts "..."         extra JVM flags for ChatAI (e.g. -Xmx1g)   --jfr   record a JFR profile of ChatAI
              --no-nginx --no-portkey  leave a peer out      --keep-data   keep ChatAI's data dir
              --out DIR                run directory (default bench/results/<timestamp>)
            """;

    public boolean help;
    public boolean quick;
    public Path repo = Path.of(".").toAbsolutePath().normalize();
    public Path classes;
    public Path jar;
    public Path out;
    public String java = ProcessHandle.current().info().command().orElse("java");
    public String nginxBin = "nginx";
    public List<String> scenarios = new ArrayList<>(SCENARIOS);
    public double durationSeconds = 20;
    public double warmupSeconds = 5;
    public double globalWarmupSeconds = 15;
    public List<String> mainTargets = ALL_TARGETS;
    public List<Integer> scalingClients = List.of(1, 16, 64, 256, 1024);
    public List<String> scalingTargets = List.of("direct", "nginx", "portkey", "chatai-v1", "chatai-chat");
    public List<Integer> concurrencyClients = List.of(64, 128, 256, 512, 1024);
    public List<String> concurrencyTargets = List.of("direct", "nginx", "chatai-v1", "chatai-chat");
    public int concurrencyTtfbMs = 20;
    public int streams = 10_000;
    public int streamChunks = 20;
    public int streamGapMs = 500;
    public double streamRampSeconds = -1; // auto: 80 % of a stream's duration
    public List<String> streamTargets = List.of("direct-stream", "nginx-stream", "portkey-stream", "chatai-v1-stream", "chatai-chat-stream");
    public boolean noStreamCap;
    public int convlenTurns = 200;
    public int convlenUsers = 10;
    public double soakSeconds = 1800;
    public double soakRate;
    public String soakTarget = "chatai-chat";
    public double soakIntervalSeconds = 60;
    public double soakWarmupSeconds = 120;
    public double stallSeconds = 5;
    public int driverThreads = 1;
    public List<String> jvmOpts = new ArrayList<>();
    public boolean jfr;
    public boolean noNginx;
    public boolean noPortkey;
    public boolean keepData;
    public boolean liveHeap = true;
    public List<String> driverJvm = List.of("-Xms1g", "-Xmx1g", "-Xmn512m", "-XX:+UseParallelGC", "-XX:-UsePerfData");

    /** The options of these arguments; an unknown option or name, or a missing value, is an IllegalArgumentException. */
    public static BenchOptions parse(String[] args) {
        BenchOptions c = new BenchOptions();
        if (Arrays.asList(args).contains("--quick")) {
            c.quick();
        }
        List<String> skip = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String o = args[i];
            switch (o) {
                case "--quick" -> { }
                case "-h", "--help" -> c.help = true;
                case "--jfr" -> c.jfr = true;
                case "--no-nginx" -> c.noNginx = true;
                case "--no-portkey" -> c.noPortkey = true;
                case "--keep-data" -> c.keepData = true;
                case "--no-stream-cap" -> c.noStreamCap = true;
                case "--no-live-heap" -> c.liveHeap = false;
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("unknown option or missing value: " + o);
                    }
                    c.set(o, args[++i], skip);
                }
            }
        }
        c.scenarios.removeAll(skip);
        if (c.classes == null) {
            c.classes = c.repo.resolve("bench/.build");
        }
        if (c.jar == null) {
            c.jar = c.repo.resolve("target/chatai-server.jar");
        }
        if (c.noNginx) {
            c.drop("nginx");
        }
        if (c.noPortkey) {
            c.drop("portkey");
        }
        c.jvmOpts.removeIf(String::isEmpty);
        return c;
    }

    /** The smoke preset: short runs, few clients and streams; flags given with it still override. */
    private void quick() {
        quick = true;
        durationSeconds = 2;
        warmupSeconds = 1;
        globalWarmupSeconds = 2;
        mainTargets = List.of("direct", "nginx", "portkey", "chatai-v1", "chatai-chat", "direct-stream", "chatai-chat-stream");
        scalingClients = List.of(1, 64);
        scalingTargets = List.of("chatai-v1", "chatai-chat");
        concurrencyClients = List.of(64, 256);
        concurrencyTargets = List.of("chatai-v1", "chatai-chat");
        streams = 200;
        streamChunks = 5;
        streamGapMs = 100;
        convlenTurns = 30;
        convlenUsers = 3;
        soakSeconds = 8;
        soakIntervalSeconds = 2;
        soakWarmupSeconds = 2;
    }

    private void set(String o, String v, List<String> skip) {
        switch (o) {
            case "--repo" -> repo = Path.of(v).toAbsolutePath().normalize();
            case "--classes" -> classes = Path.of(v).toAbsolutePath();
            case "--java" -> java = v;
            case "--nginx" -> nginxBin = v;
            case "--only" -> scenarios = list(v, SCENARIOS);
            case "--skip" -> skip.addAll(list(v, SCENARIOS));
            case "--duration" -> durationSeconds = seconds(v);
            case "--warmup" -> warmupSeconds = seconds(v);
            case "--global-warmup" -> globalWarmupSeconds = seconds(v);
            case "--targets" -> mainTargets = list(v, ALL_TARGETS);
            case "--scaling-clients" -> scalingClients = ints(v);
            case "--scaling-targets" -> scalingTargets = list(v, ALL_TARGETS);
            case "--concurrency-clients" -> concurrencyClients = ints(v);
            case "--concurrency-targets" -> concurrencyTargets = list(v, ALL_TARGETS);
            case "--concurrency-ttfb" -> concurrencyTtfbMs = Integer.parseInt(v);
            case "--streams" -> streams = Integer.parseInt(v);
            case "--stream-chunks" -> streamChunks = Integer.parseInt(v);
            case "--stream-gap" -> streamGapMs = (int) Math.round(seconds(v.matches("\\d+") ? v + "ms" : v) * 1000);
            case "--stream-ramp" -> streamRampSeconds = seconds(v);
            case "--stream-targets" -> streamTargets = list(v, ALL_TARGETS);
            case "--convlen-turns" -> convlenTurns = Integer.parseInt(v);
            case "--convlen-users" -> convlenUsers = Integer.parseInt(v);
            case "--soak" -> soakSeconds = seconds(v);
            case "--soak-rate" -> soakRate = Double.parseDouble(v);
            case "--soak-target" -> soakTarget = v;
            case "--soak-interval" -> soakIntervalSeconds = seconds(v);
            case "--soak-warmup" -> soakWarmupSeconds = seconds(v);
            case "--stall" -> stallSeconds = seconds(v);
            case "--driver-threads" -> driverThreads = Integer.parseInt(v);
            case "--jar" -> jar = Path.of(v).toAbsolutePath();
            case "--jvm-opts" -> jvmOpts.addAll(Arrays.asList(v.trim().split("\\s+")));
            case "--out" -> out = Path.of(v).toAbsolutePath();
            default -> throw new IllegalArgumentException("unknown option " + o);
        }
    }

    private void drop(String peer) {
        mainTargets = mainTargets.stream().filter(t -> !t.startsWith(peer)).toList();
        scalingTargets = scalingTargets.stream().filter(t -> !t.startsWith(peer)).toList();
        concurrencyTargets = concurrencyTargets.stream().filter(t -> !t.startsWith(peer)).toList();
        streamTargets = streamTargets.stream().filter(t -> !t.startsWith(peer)).toList();
    }

    private static List<String> list(String v, List<String> allowed) {
        List<String> l = new ArrayList<>();
        for (String s : v.split(",")) {
            s = s.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (!allowed.contains(s)) {
                throw new IllegalArgumentException("unknown name " + s + " (one of " + String.join(", ", allowed) + ")");
            }
            l.add(s);
        }
        return l;
    }

    private static List<Integer> ints(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
    }

    /** "30s", "2m", "500ms", "1h" or a plain number of seconds. */
    static double seconds(String v) {
        v = v.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("ms")) {
            return Double.parseDouble(v.substring(0, v.length() - 2)) / 1000.0;
        }
        if (v.endsWith("s")) {
            return Double.parseDouble(v.substring(0, v.length() - 1));
        }
        if (v.endsWith("m")) {
            return Double.parseDouble(v.substring(0, v.length() - 1)) * 60;
        }
        if (v.endsWith("h")) {
            return Double.parseDouble(v.substring(0, v.length() - 1)) * 3600;
        }
        return Double.parseDouble(v);
    }
}
