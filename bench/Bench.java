import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmark orchestrator behind {@code bench/run.sh}: starts the fake upstream, nginx, Portkey and
 * ChatAI on free loopback ports, runs the scenarios with {@link Load}, samples the processes
 * ({@code /proc}: peak RSS, threads, CPU; ChatAI's heap from {@code /metrics}), prints one markdown table
 * per scenario plus the ratios and the issue's targets, writes {@code report.md} and {@code results.json}
 * into the run's directory, and stops everything. See bench/README.md.
 */
public class Bench {
    static final List<String> SCENARIOS = List.of("latency", "cost", "scaling", "concurrency", "convlen", "streams", "soak");
    static final List<String> ALL_TARGETS = List.of("direct", "nginx", "portkey", "chatai-v1", "chatai-chat",
            "direct-stream", "nginx-stream", "portkey-stream", "chatai-v1-stream", "chatai-chat-stream");

    final Config cfg;
    final Path runDir;
    final Path repo;
    final StringBuilder report = new StringBuilder();
    final Map<String, Object> results = new LinkedHashMap<>();
    final List<Proc> procs = new ArrayList<>();
    final Map<String, Target> targets = new LinkedHashMap<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    final List<String[]> checks = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    Proc fake;
    Proc nginx;
    Proc portkey;
    Proc chatai;
    int fakePort;
    String adminKey;
    String clientKey;
    List<String> chataiJvmFlags = List.of();
    int runCounter;
    long clockTicks = 100;

    Bench(Config cfg) throws IOException {
        this.cfg = cfg;
        this.repo = cfg.repo;
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        this.runDir = cfg.out != null ? cfg.out : repo.resolve("bench/results/" + stamp);
        Files.createDirectories(runDir);
    }

    public static void main(String[] args) throws Exception {
        Config cfg;
        try {
            cfg = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(Config.USAGE);
            System.exit(2);
            return;
        }
        if (cfg.help) {
            System.out.println(Config.USAGE);
            return;
        }
        Bench bench = new Bench(cfg);
        Thread hook = new Thread(bench::stopAll);
        Runtime.getRuntime().addShutdownHook(hook);
        int status = 0;
        try {
            bench.run();
        } catch (Exception e) {
            System.err.println("bench: failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            bench.stopAll();
            bench.writeFiles();
        }
        System.exit(status);
    }

    // ------------------------------------------------------------------------------------------------

    void run() throws Exception {
        out("# ChatAI benchmark — " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + (cfg.quick ? " (--quick smoke run)" : ""));
        out("");
        machine();
        startAll();
        setupChatai();
        defineTargets();
        out("");
        warmUp();
        for (String scenario : cfg.scenarios) {
            switch (scenario) {
                case "latency" -> requestResponse("latency", "Added latency: 1 client, upstream answering at once", List.of(1), cfg.mainTargets, "fake", 6);
                case "cost" -> requestResponse("cost", "Cost per request: 64 clients, upstream answering at once", List.of(64), cfg.mainTargets, "fake", 6);
                case "scaling" -> requestResponse("scaling", "Scaling: upstream answering at once", cfg.scalingClients, cfg.scalingTargets, "fake", 6);
                case "concurrency" -> requestResponse("concurrency", "Concurrency: upstream with " + cfg.concurrencyTtfbMs + " ms to first byte",
                        cfg.concurrencyClients, cfg.concurrencyTargets, "fake-t" + cfg.concurrencyTtfbMs, 6);
                case "convlen" -> convlen();
                case "streams" -> streams();
                case "soak" -> soak();
                default -> throw new IllegalStateException(scenario);
            }
        }
        targetsTable();
        out("");
        out("Run directory: " + repo.relativize(runDir) + " (report.md, results.json, process logs)");
    }

    // ------------------------------------------------------------------------------------------------
    // Machine and processes

    void machine() throws Exception {
        String cpu = grepFirst(Path.of("/proc/cpuinfo"), "model name").replaceFirst(".*:\\s*", "");
        int cores = Runtime.getRuntime().availableProcessors();
        long memKb = Long.parseLong(grepFirst(Path.of("/proc/meminfo"), "MemTotal").replaceAll("\\D", ""));
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        String[] limits = fdLimits();
        String commit = command(List.of("git", "-C", repo.toString(), "rev-parse", "--short", "HEAD")).trim();
        String dirty = command(List.of("git", "-C", repo.toString(), "status", "--porcelain", "--untracked-files=no", "--", "src", "pom.xml")).isBlank() ? "" : " (with uncommitted changes)";
        String javaVersion = command(List.of(cfg.java, "-version")).lines().findFirst().orElse("?");
        String nodeVersion = cfg.noPortkey ? "-" : command(List.of("node", "--version")).trim();
        String nginxVersion = cfg.noNginx ? "-" : command(List.of(cfg.nginxBin, "-v")).trim().replace("nginx version: ", "");
        clockTicks = Long.parseLong(command(List.of("getconf", "CLK_TCK")).trim());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpu);
        m.put("cores", cores);
        m.put("memory_gib", Math.round(memKb / 1024.0 / 1024.0 * 10) / 10.0);
        m.put("kernel", kernel);
        m.put("loadavg_start", load);
        m.put("nofile", limits[0] + " soft / " + limits[1] + " hard");
        m.put("java", javaVersion);
        m.put("node", nodeVersion);
        m.put("nginx", nginxVersion);
        m.put("commit", commit + dirty);
        m.put("jar", (cfg.jar.startsWith(repo) ? repo.relativize(cfg.jar) : cfg.jar).toString());
        String built = Files.exists(cfg.jar) ? LocalDateTime.ofInstant(Files.getLastModifiedTime(cfg.jar).toInstant(), java.time.ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) : "missing";
        m.put("jar_built", built);
        results.put("machine", m);
        out("| machine | |");
        out("|---|---|");
        out("| CPU | " + cpu + ", " + cores + " cores |");
        out("| memory | " + m.get("memory_gib") + " GiB |");
        out("| kernel | " + kernel + " |");
        out("| load average at start | " + load + " |");
        out("| open files limit | " + m.get("nofile") + " |");
        out("| Java (ChatAI, fake, driver) | " + javaVersion + " |");
        out("| nginx / node | " + nginxVersion + " / " + nodeVersion + " (Portkey @portkey-ai/gateway 1.15.2) |");
        out("| ChatAI | " + m.get("jar") + " (built " + built + "); working tree at " + commit + dirty + " |");
        double load1 = Double.parseDouble(load.split(" ")[0]);
        if (load1 > 0.5) {
            warn("the machine is not quiet (load average " + load.split(" ")[0] + " before the run): absolute numbers will be noisy; compare ratios");
        }
    }

    static String[] fdLimits() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return new String[] {f[0], f[1]};
            }
        }
        return new String[] {"?", "?"};
    }

    void startAll() throws Exception {
        fakePort = freePort();
        fake = start("fake", List.of(cfg.java, "-cp", cfg.classes.toString(), "FakeUpstream", String.valueOf(fakePort)), Map.of(), repo);
        waitHttp("fake upstream", "http://127.0.0.1:" + fakePort + "/health", null, 30);
        if (!cfg.noNginx) {
            int port = freePort();
            Path dir = runDir.resolve("nginx");
            Files.createDirectories(dir);
            long nofile = parseLong(fdLimits()[1], 20000);
            String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
            String conf = """
                    # generated by bench/Bench.java
                    %sdaemon off;
                    worker_processes 2;
                    worker_rlimit_nofile %d;
                    pid %s/nginx.pid;
                    error_log %s/error.log warn;
                    events {
                        worker_connections %d;
                    }
                    http {
                        access_log off;
                        client_body_temp_path %s/body;
                        proxy_temp_path %s/proxy;
                        keepalive_timeout 75s;
                        keepalive_requests 1000000;
                        upstream fake {
                            server 127.0.0.1:%d;
                            keepalive 1024;
                            keepalive_requests 1000000;
                            keepalive_timeout 60s;
                        }
                        server {
                            listen 127.0.0.1:%d backlog=65535 reuseport;
                            location / {
                                proxy_pass http://fake;
                                proxy_http_version 1.1;
                                proxy_set_header Connection "";
                                proxy_buffering off;
                                proxy_read_timeout 300s;
                                proxy_send_timeout 300s;
                            }
                        }
                    }
                    """.formatted(user, nofile, dir, dir, Math.max(1024, nofile - 100), dir, dir, fakePort, port);
            Files.writeString(dir.resolve("nginx.conf"), conf);
            nginx = start("nginx", List.of(cfg.nginxBin, "-e", dir.resolve("error.log").toString(), "-p", dir.toString(),
                    "-c", dir.resolve("nginx.conf").toString()), Map.of(), dir);
            nginx.port = port;
            waitHttp("nginx", "http://127.0.0.1:" + port + "/v1/chat/completions", "{\"model\":\"fake\"}", 30);
        }
        if (!cfg.noPortkey) {
            int port = freePort();
            Path dir = repo.resolve("bench/portkey");
            if (!Files.isDirectory(dir.resolve("node_modules/@portkey-ai/gateway"))) {
                throw new IllegalStateException("Portkey is not installed: run bench/run.sh (or cd bench/portkey && npm ci), or pass --no-portkey");
            }
            portkey = start("portkey", List.of("node", "node_modules/@portkey-ai/gateway/build/start-server.js", "--port=" + port, "--headless"),
                    Map.of("NODE_ENV", "production"), dir);
            portkey.port = port;
            waitHttp("portkey", "http://127.0.0.1:" + port + "/v1/chat/completions", "{\"model\":\"fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 60,
                    "x-portkey-provider", "openai", "x-portkey-custom-host", "http://127.0.0.1:" + fakePort + "/v1", "Authorization", "Bearer sk-x");
        }
        int port = freePort();
        adminKey = "bench-admin-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + Long.toHexString(System.nanoTime());
        Path data = runDir.resolve("chatai-data");
        Files.createDirectories(data);
        Map<String, String> env = new LinkedHashMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("CHATAI_")) {
                env.put(k, v); // e.g. CHATAI_DATABASE_URL to run on PostgreSQL
            }
        });
        env.put("CHATAI_HOST", "127.0.0.1");
        env.put("CHATAI_PORT", String.valueOf(port));
        env.put("CHATAI_DATA_DIR", data.toString());
        env.put("CHATAI_ADMIN_KEY", adminKey);
        env.put("CHATAI_RATE_LIMIT_PER_MINUTE", "0");
        env.put("CHATAI_USER_RATE_LIMIT_PER_MINUTE", "0");
        env.put("CHATAI_METRICS_PUBLIC", "true");
        env.put("CHATAI_DEFAULT_MODEL", "fake");
        List<String> cmd = new ArrayList<>();
        cmd.add(cfg.java);
        List<String> flags = new ArrayList<>();
        flags.add("-Xlog:gc:file=" + runDir.resolve("chatai-gc.log"));
        if (cfg.jfr) {
            flags.add("-XX:StartFlightRecording=filename=" + runDir.resolve("chatai.jfr") + ",settings=profile,dumponexit=true");
        }
        flags.addAll(cfg.jvmOpts);
        chataiJvmFlags = flags;
        cmd.addAll(flags);
        cmd.add("-jar");
        cmd.add(cfg.jar.toString());
        chatai = start("chatai", cmd, env, runDir);
        chatai.port = port;
        waitHttp("chatai", "http://127.0.0.1:" + port + "/health", null, 90);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("fake", Map.of("port", fakePort, "pid", fake.pid()));
        if (nginx != null) {
            p.put("nginx", Map.of("port", nginx.port, "pid", nginx.pid()));
        }
        if (portkey != null) {
            p.put("portkey", Map.of("port", portkey.port, "pid", portkey.pid()));
        }
        p.put("chatai", Map.of("port", port, "pid", chatai.pid(), "jvm_flags", String.join(" ", flags), "env",
                env.entrySet().stream().filter(e -> !e.getKey().equals("CHATAI_ADMIN_KEY") && !e.getKey().contains("PASSWORD"))
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))));
        results.put("processes", p);
        out("| ChatAI JVM flags | `" + (flags.isEmpty() ? "(none)" : String.join(" ", flags)).replace(runDir.toString(), "<run>") + "` (JVM defaults otherwise: "
                + "G1, heap max = 1/4 of RAM) |");
        out("| ChatAI env | rate limits 0, `CHATAI_METRICS_PUBLIC=true`, `CHATAI_DEFAULT_MODEL=fake`, fresh SQLite data dir"
                + (env.containsKey("CHATAI_DATABASE_URL") ? " — database " + env.get("CHATAI_DATABASE_URL") : "") + " |");
        out("| load driver | bench/Load.java (JDK NIO, closed loop, exact latencies), JVM `" + String.join(" ", cfg.driverJvm) + "`, "
                + cfg.driverThreads + " selector thread(s) |");
    }

    void setupChatai() throws Exception {
        String base = "http://127.0.0.1:" + chatai.port;
        String channel = post(base + "/api/channels", adminKey, "{\"name\":\"fake\",\"type\":\"openai\",\"baseUrl\":\"http://127.0.0.1:" + fakePort
                + "/v1\",\"apiKeys\":[\"sk-x\"],\"models\":[\"*\"]}");
        if (!channel.contains("\"success\":true")) {
            throw new IllegalStateException("could not add the channel: " + channel);
        }
        String key = post(base + "/api/keys", adminKey, "{\"name\":\"bench\"}");
        Object parsed = MiniJson.parse(key);
        clientKey = (String) path(parsed, "data", "key");
        if (clientKey == null) {
            throw new IllegalStateException("could not create a client key: " + key);
        }
        String preset = post(base + "/api/presets", adminKey, "{\"id\":\"bench-full\",\"name\":\"bench: whole history\","
                + "\"maxContextMessages\":10000,\"maxContextTokens\":10000000}");
        if (!preset.contains("\"success\":true")) {
            throw new IllegalStateException("could not create the bench-full preset: " + preset);
        }
        String check = post(base + "/api/chat", clientKey, "{\"message\":\"hello\",\"userId\":\"setup\"}");
        if (!check.contains("lorem")) {
            throw new IllegalStateException("ChatAI does not answer through the fake upstream: " + check);
        }
    }

    void defineTargets() {
        List<String> portkeyHeaders = List.of("x-portkey-provider: openai", "x-portkey-custom-host: http://127.0.0.1:" + fakePort + "/v1");
        for (boolean stream : new boolean[] {false, true}) {
            String s = stream ? "-stream" : "";
            add(new Target("direct" + s, fake, fakePort, "/v1/chat/completions", false, stream, List.of(), "sk-x"));
            if (nginx != null) {
                add(new Target("nginx" + s, nginx, nginx.port, "/v1/chat/completions", false, stream, List.of(), "sk-x"));
            }
            if (portkey != null) {
                add(new Target("portkey" + s, portkey, portkey.port, "/v1/chat/completions", false, stream, portkeyHeaders, "sk-x"));
            }
            add(new Target("chatai-v1" + s, chatai, chatai.port, "/v1/chat/completions", false, stream, List.of(), clientKey));
            add(new Target("chatai-chat" + s, chatai, chatai.port, stream ? "/api/chat/stream" : "/api/chat", true, stream, List.of(), clientKey));
        }
    }

    void add(Target t) {
        targets.put(t.id, t);
    }

    List<Target> select(List<String> ids) {
        List<Target> list = new ArrayList<>();
        for (String id : ids) {
            Target t = targets.get(id);
            if (t != null) {
                list.add(t);
            }
        }
        return list;
    }

    void warmUp() throws Exception {
        if (cfg.globalWarmupSeconds <= 0) {
            return;
        }
        List<String> used = new ArrayList<>();
        for (String s : cfg.scenarios) {
            switch (s) {
                case "latency", "cost" -> used.addAll(cfg.mainTargets);
                case "scaling" -> used.addAll(cfg.scalingTargets);
                case "concurrency" -> used.addAll(cfg.concurrencyTargets);
                case "convlen", "soak" -> used.add("chatai-chat");
                case "streams" -> used.addAll(cfg.streamTargets);
                default -> { }
            }
        }
        List<Target> list = select(used.stream().distinct().toList());
        out("Warm-up: " + list.stream().map(t -> t.id).collect(Collectors.joining(", ")) + " (16 clients; "
                + fmt1(cfg.globalWarmupSeconds) + " s each for JIT-compiled peers, 1 s for the others)");
        for (Target t : list) {
            boolean jit = t.proc == chatai || t.proc == portkey;
            closedRun(t, 16, "fake", 6, jit ? cfg.globalWarmupSeconds : 1, 0.5, null);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Request/response scenarios

    void requestResponse(String name, String title, List<Integer> clientLevels, List<String> ids, String model, int tokens) throws Exception {
        out("");
        out("## " + name + " — " + title);
        out("");
        out("Each row: " + fmt1(cfg.warmupSeconds) + " s warm-up, then " + fmt1(cfg.durationSeconds) + " s measured; model `" + model
                + "`; latency from request write to the last byte of the response; req/s counts 2xx responses with the complete "
                + "answer only; +mean/+p99 = the row minus the direct fake upstream (same stream kind, same clients) in this run; "
                + "CPU = CPU time of the process under test per request; RSS = its peak resident set during the measured window; "
                + "host CPU = the whole machine's busy share.");
        out("");
        List<Target> list = select(ids);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int clients : clientLevels) {
            for (Target t : list) {
                Map<String, Object> r = closedRun(t, clients, model, tokens, cfg.warmupSeconds, cfg.durationSeconds, name);
                rows.add(r);
            }
        }
        results.put(name, rows);
        boolean concurrency = name.equals("concurrency");
        if (concurrency) {
            out("R0 = the target's unloaded latency: the TTFB plus its 1-client mean from the latency scenario of this run, or, "
                    + "if lower or without it, its lowest mean over the levels. Ceiling = min(best req/s, N / R0): "
                    + "what N clients can reach at most. Predicted mean = max(R0, N / best req/s): the latency queueing alone explains. "
                    + "N/X = Little's law from the measured req/s (equals the mean in a closed loop when every client is busy).");
            out("");
            out("| target | clients | req/s | % of best | % of ceiling | mean ms | N/X ms | predicted ms | mean ÷ predicted | p50 ms | p99 ms | max ms | errors | stalls | CPU µs/req | RSS MB | host CPU % |");
            out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        } else {
            out("| target | clients | req/s | mean ms | p50 ms | p99 ms | max ms | errors | +mean ms | +p99 ms | CPU µs/req | RSS MB | host CPU % |");
            out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        }
        Map<String, Double> best = new LinkedHashMap<>();
        Map<String, Double> r0 = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            best.merge((String) r.get("target"), num(r, "rps"), Math::max);
            r0.merge((String) r.get("target"), num(r, "latency_us", "mean") / 1000.0, Math::min);
        }
        if (concurrency && results.get("latency") instanceof List<?> latencyRows) {
            // The unloaded latency: the TTFB plus this target's 1-client mean with an upstream answering at once.
            for (Object o : latencyRows) {
                @SuppressWarnings("unchecked")
                Map<String, Object> l = (Map<String, Object>) o;
                String id = (String) l.get("target");
                if (r0.containsKey(id)) {
                    r0.merge(id, cfg.concurrencyTtfbMs + num(l, "latency_us", "mean") / 1000.0, Math::min);
                }
            }
        }
        for (Map<String, Object> r : rows) {
            String id = (String) r.get("target");
            int clients = ((Number) r.get("clients")).intValue();
            Map<String, Object> base = baseline(rows, id, clients);
            double mean = num(r, "latency_us", "mean");
            double p99 = num(r, "latency_us", "p99");
            String errors = errorsCell(r);
            if (concurrency) {
                // Below saturation N clients cannot exceed N / R0 (R0 = the lowest mean latency of this target);
                // above it the best throughput. Queueing alone predicts a mean of max(R0, N / X_best).
                double rps = num(r, "rps");
                double ceiling = Math.min(best.get(id), clients / r0.get(id) * 1000.0);
                double predicted = Math.max(r0.get(id), clients / best.get(id) * 1000.0);
                double little = rps > 0 ? clients / rps * 1000.0 : Double.NaN;
                r.put("pct_of_best", rps / best.get(id) * 100);
                r.put("pct_of_ceiling", rps / ceiling * 100);
                r.put("little_ms", little);
                r.put("predicted_ms", predicted);
                r.put("mean_over_predicted", mean / 1000.0 / predicted);
                out("| " + id + " | " + clients + " | " + fmt0(rps) + " | " + fmt0(rps / best.get(id) * 100) + " | " + fmt0(rps / ceiling * 100) + " | "
                        + ms(mean) + " | " + fmt3(little) + " | " + fmt3(predicted) + " | " + fmt2(mean / 1000.0 / predicted) + " | "
                        + ms(num(r, "latency_us", "p50")) + " | " + ms(p99) + " | " + ms(num(r, "latency_us", "max")) + " | " + errors + " | "
                        + num(r, "stalls").longValue() + " | " + fmt1(num(r, "cpu_us_per_request")) + " | " + fmt0(num(r, "rss_peak_mb")) + " | "
                        + fmt0(num(r, "host_cpu_pct")) + " |");
            } else {
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
                out("| " + id + " | " + clients + " | " + fmt0(num(r, "rps")) + " | " + ms(mean) + " | " + ms(num(r, "latency_us", "p50")) + " | "
                        + ms(p99) + " | " + ms(num(r, "latency_us", "max")) + " | " + errors + " | " + addMean + " | " + addP99 + " | "
                        + fmt1(num(r, "cpu_us_per_request")) + " | " + fmt0(num(r, "rss_peak_mb")) + " | " + fmt0(num(r, "host_cpu_pct")) + " |");
            }
        }
        List<Map<String, Object>> streamRows = rows.stream().filter(r -> r.get("ttft_us") != null).toList();
        if (!streamRows.isEmpty() && !concurrency) {
            out("");
            out("Time to first token of the stream rows (first content delta, from the request's write):");
            out("");
            out("| target | clients | TTFT mean ms | TTFT p50 ms | TTFT p99 ms | +TTFT mean ms | +TTFT p99 ms |");
            out("|---|---:|---:|---:|---:|---:|---:|");
            for (Map<String, Object> r : streamRows) {
                String id = (String) r.get("target");
                Map<String, Object> base = baseline(rows, id, ((Number) r.get("clients")).intValue());
                String am = "";
                String ap = "";
                if (base != null && base != r && base.get("ttft_us") != null) {
                    am = fmt3((num(r, "ttft_us", "mean") - num(base, "ttft_us", "mean")) / 1000.0);
                    ap = fmt3((num(r, "ttft_us", "p99") - num(base, "ttft_us", "p99")) / 1000.0);
                }
                out("| " + id + " | " + r.get("clients") + " | " + ms(num(r, "ttft_us", "mean")) + " | " + ms(num(r, "ttft_us", "p50")) + " | "
                        + ms(num(r, "ttft_us", "p99")) + " | " + am + " | " + ap + " |");
            }
        }
        if (name.equals("scaling")) {
            out("");
            out("Scaling summary (req/s / p99 ms):");
            out("");
            StringBuilder header = new StringBuilder("| target |");
            StringBuilder rule = new StringBuilder("|---|");
            for (int c : clientLevels) {
                header.append(' ').append(c).append(" clients |");
                rule.append("---:|");
            }
            out(header.toString());
            out(rule.toString());
            for (Target t : list) {
                StringBuilder line = new StringBuilder("| " + t.id + " |");
                for (int c : clientLevels) {
                    Map<String, Object> r = find(rows, t.id, c);
                    line.append(' ').append(r == null ? "" : fmt0(num(r, "rps")) + " / " + ms(num(r, "latency_us", "p99"))).append(" |");
                }
                out(line.toString());
            }
        }
        if (name.equals("cost") || name.equals("latency")) {
            ratios(name, rows);
        }
        if (name.equals("latency")) {
            checkAdded(rows, "chatai-v1", 0.3, 1.0, "Added latency /v1/chat/completions (1 client)");
            checkAdded(rows, "chatai-chat", 1.0, 2.0, "Added latency /api/chat (1 client)");
        }
        if (name.equals("cost")) {
            checkCost(rows);
        }
        if (concurrency) {
            checkConcurrency(rows);
        }
    }

    static Map<String, Object> find(List<Map<String, Object>> rows, String id, int clients) {
        for (Map<String, Object> r : rows) {
            if (id.equals(r.get("target")) && ((Number) r.get("clients")).intValue() == clients) {
                return r;
            }
        }
        return null;
    }

    static Map<String, Object> baseline(List<Map<String, Object>> rows, String id, int clients) {
        return find(rows, id.endsWith("-stream") ? "direct-stream" : "direct", clients);
    }

    void ratios(String name, List<Map<String, Object>> rows) {
        String[][] pairs = {
                {"chatai-v1", "portkey", "≥ 10× (cost)"}, {"chatai-v1", "nginx", "≥ 0.5 (cost)"}, {"chatai-v1", "direct", ""},
                {"chatai-chat", "portkey", "≥ 5× (cost)"}, {"chatai-chat", "nginx", ""}, {"chatai-chat", "direct", ""},
                {"nginx", "direct", ""}, {"portkey", "direct", ""},
                {"chatai-v1-stream", "portkey-stream", ""}, {"chatai-v1-stream", "nginx-stream", ""},
                {"chatai-chat-stream", "portkey-stream", ""}, {"chatai-chat-stream", "nginx-stream", ""},
        };
        List<String> lines = new ArrayList<>();
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (String[] p : pairs) {
            for (Map<String, Object> a : rows) {
                if (!p[0].equals(a.get("target"))) {
                    continue;
                }
                Map<String, Object> b = find(rows, p[1], ((Number) a.get("clients")).intValue());
                if (b == null || num(b, "rps") <= 0) {
                    continue;
                }
                double ratio = num(a, "rps") / num(b, "rps");
                ratios.put(p[0] + "/" + p[1] + "@" + a.get("clients"), ratio);
                lines.add("| " + p[0] + " ÷ " + p[1] + " | " + a.get("clients") + " | " + fmt2(ratio) + "× | " + (name.equals("cost") ? p[2] : "") + " |");
            }
        }
        if (!lines.isEmpty()) {
            out("");
            out("Throughput ratios (req/s of 2xx):");
            out("");
            out("| ratio | clients | value | issue's target |");
            out("|---|---:|---:|---|");
            lines.forEach(this::out);
        }
        results.put(name + "_ratios", ratios);
    }

    void checkAdded(List<Map<String, Object>> rows, String id, double meanLimit, double p99Limit, String label) {
        Map<String, Object> r = find(rows, id, 1);
        if (r == null || r.get("added_mean_ms") == null) {
            check(label, "not measured", "mean ≤ " + meanLimit + " ms, p99 ≤ " + p99Limit + " ms", null);
            return;
        }
        double am = num(r, "added_mean_ms");
        double ap = num(r, "added_p99_ms");
        check(label, "mean +" + fmt3(am) + " ms, p99 +" + fmt3(ap) + " ms", "mean ≤ " + meanLimit + " ms, p99 ≤ " + p99Limit + " ms",
                am <= meanLimit && ap <= p99Limit && errors(r) == 0);
    }

    void checkCost(List<Map<String, Object>> rows) {
        Map<String, Object> v1 = find(rows, "chatai-v1", 64);
        Map<String, Object> chat = find(rows, "chatai-chat", 64);
        Map<String, Object> pk = find(rows, "portkey", 64);
        Map<String, Object> ng = find(rows, "nginx", 64);
        if (v1 != null && pk != null) {
            double r = num(v1, "rps") / num(pk, "rps");
            check("Cost: /v1 req/s vs Portkey (64 clients)", fmt1(r) + "×", "≥ 10×", r >= 10);
        }
        if (v1 != null && ng != null) {
            double r = num(v1, "rps") / num(ng, "rps");
            check("Cost: /v1 req/s vs nginx (64 clients)", fmt0(r * 100) + " %", "≥ 50 %", r >= 0.5);
        }
        if (chat != null && pk != null) {
            double r = num(chat, "rps") / num(pk, "rps");
            check("Cost: /api/chat req/s vs Portkey (64 clients)", fmt1(r) + "×", "≥ 5×", r >= 5);
        }
        long e = (v1 == null ? 0 : errors(v1)) + (chat == null ? 0 : errors(chat));
        if (v1 != null || chat != null) {
            check("Cost: errors on ChatAI (64 clients)", String.valueOf(e), "0", e == 0);
        }
    }

    void checkConcurrency(List<Map<String, Object>> rows) {
        for (String id : List.of("chatai-v1", "chatai-chat")) {
            List<Map<String, Object>> mine = rows.stream().filter(r -> id.equals(r.get("target"))).toList();
            if (mine.isEmpty()) {
                continue;
            }
            long errors = mine.stream().mapToLong(Bench::errors).sum();
            long stalls = mine.stream().mapToLong(r -> num(r, "stalls").longValue()).sum();
            double worstBest = mine.stream().mapToDouble(r -> num(r, "pct_of_best")).min().orElse(0);
            double worstCeiling = mine.stream().mapToDouble(r -> num(r, "pct_of_ceiling")).min().orElse(0);
            double worstPredicted = mine.stream().mapToDouble(r -> num(r, "mean_over_predicted")).max().orElse(Double.NaN);
            String levels = mine.stream().map(r -> String.valueOf(r.get("clients"))).collect(Collectors.joining(","));
            check("Concurrency " + id + " (" + levels + " clients, TTFB " + cfg.concurrencyTtfbMs + " ms)",
                    "errors " + errors + ", stalls " + stalls + ", lowest " + fmt0(worstCeiling) + " % of ceiling (" + fmt0(worstBest)
                            + " % of best), mean ≤ " + fmt2(worstPredicted) + " × predicted",
                    "0 errors, 0 stalls, ≥ 90 % of ceiling, mean ≤ 1.10 × queueing prediction",
                    errors == 0 && stalls == 0 && worstCeiling >= 90 && worstPredicted <= 1.10);
        }
    }

    /** One closed-loop run of the load driver against a target, with the process metrics of its window. */
    Map<String, Object> closedRun(Target t, int clients, String model, int tokens, double warmup, double duration, String scenario) throws Exception {
        List<String> args = new ArrayList<>(List.of("closed", "-c", String.valueOf(clients), "--threads", String.valueOf(Math.min(clients, cfg.driverThreads)),
                "--warmup", String.valueOf(warmup), "--duration", String.valueOf(duration), "--stall", String.valueOf(cfg.stallSeconds),
                "--tokens", String.valueOf(tokens)));
        args.addAll(t.loadArgs(model, "r" + (++runCounter)));
        Window w = new Window(t.proc);
        Map<String, Object> result = load(args, line -> {
            if (line.equals("PHASE measure")) {
                w.begin();
            } else if (line.equals("PHASE drain")) {
                w.end();
            }
        });
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target", t.id);
        r.put("clients", clients);
        r.put("model", model);
        r.putAll(result);
        long requests = ((Number) result.getOrDefault("requests", 0)).longValue();
        r.put("cpu_us_per_request", requests == 0 ? 0.0 : w.cpuMicros() / requests);
        r.put("upstream_cpu_us_per_request", requests == 0 || t.proc == fake ? null : w.upstreamCpuMicros() / requests);
        r.put("rss_peak_mb", w.peakRssKb / 1024.0);
        r.put("threads_peak", w.peakThreads);
        r.put("host_cpu_pct", w.hostBusyPct());
        if (scenario != null) {
            System.err.printf(Locale.ROOT, "  %-12s %-20s c=%-5d %9.0f req/s  mean %8.3f ms  p99 %8.3f ms  errors %s%n", scenario, t.id, clients,
                    num(r, "rps"), num(r, "latency_us", "mean") / 1000, num(r, "latency_us", "p99") / 1000, errorsCell(r));
        }
        return r;
    }

    /** Measures a process (and the fake upstream) between {@link #begin} and {@link #end}. */
    final class Window {
        final Proc proc;
        long cpu0;
        long cpu1;
        long fake0;
        long fake1;
        long[] host0;
        long[] host1;
        long peakRssKb;
        long peakThreads;
        volatile boolean sampling;
        Thread sampler;

        Window(Proc proc) {
            this.proc = proc;
        }

        void begin() {
            proc.resetPeak();
            cpu0 = proc.cpuTicks();
            fake0 = fake.cpuTicks();
            host0 = hostCpu();
            sampling = true;
            sampler = Thread.ofPlatform().daemon().start(() -> {
                while (sampling) {
                    Map<String, Long> s = proc.status();
                    peakRssKb = Math.max(peakRssKb, s.getOrDefault("VmRSS", 0L));
                    peakThreads = Math.max(peakThreads, s.getOrDefault("Threads", 0L));
                    sleep(200);
                }
            });
        }

        void end() {
            cpu1 = proc.cpuTicks();
            fake1 = fake.cpuTicks();
            host1 = hostCpu();
            sampling = false;
            Map<String, Long> s = proc.status();
            peakRssKb = Math.max(peakRssKb, s.getOrDefault("VmHWM", 0L));
            peakRssKb = Math.max(peakRssKb, s.getOrDefault("VmRSS", 0L));
            peakThreads = Math.max(peakThreads, s.getOrDefault("Threads", 0L));
        }

        double cpuMicros() {
            return (cpu1 - cpu0) * 1e6 / clockTicks;
        }

        double upstreamCpuMicros() {
            return (fake1 - fake0) * 1e6 / clockTicks;
        }

        double hostBusyPct() {
            if (host0 == null || host1 == null) {
                return Double.NaN;
            }
            double total = host1[0] - host0[0];
            double idle = host1[1] - host0[1];
            return total <= 0 ? Double.NaN : (1 - idle / total) * 100;
        }
    }

    static long[] hostCpu() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total, idle};
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs bench/Load.java with the given arguments; feeds each stdout line to the listener; returns RESULT. */
    Map<String, Object> load(List<String> args, Consumer<String> listener) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(cfg.java);
        cmd.addAll(cfg.driverJvm);
        cmd.add("-cp");
        cmd.add(cfg.classes.toString());
        cmd.add("Load");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(runDir.resolve("load.log").toFile()));
        Process p = pb.start();
        Map<String, Object> result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) MiniJson.parse(line.substring(7));
                    result = m;
                } else {
                    listener.accept(line);
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("the load driver failed (exit " + exit + "): " + String.join(" ", args) + "; see " + runDir.resolve("load.log"));
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------------
    // Conversation length

    void convlen() throws Exception {
        int window = Math.min(10, cfg.convlenTurns / 2);
        out("");
        out("## convlen — cost of a turn as the conversation grows to " + cfg.convlenTurns + " turns");
        out("");
        out("On /api/chat, one request at a time, upstream answering at once: " + cfg.convlenUsers + " \"long\" users are first grown to "
                + (cfg.convlenTurns - window) + " turns and " + cfg.convlenUsers + " \"short\" users to a few; then the long users' last "
                + window + " turns and the short users' turns ~10 are sent interleaved (long, short, long, short, …), so both are measured "
                + "in the same moments, on the same database and JIT state. The `default` preset sends at most 20 history messages "
                + "(`maxContextMessages` 20, `maxContextTokens` 8000), so both send about the same prompt: any difference is the server's "
                + "own cost of a longer stored conversation (target: none). The `bench-full` preset (`maxContextMessages` 10000, "
                + "`maxContextTokens` 10,000,000) sends the whole history: its difference is what the tokens sent cost. Prompt tokens are "
                + "the fake upstream's count (request body bytes / 4).");
        out("");
        out("| preset | turns | mean ms | p50 ms | p99 ms | prompt tokens | p50 vs turns ~10 | mean vs turns ~10 |");
        out("|---|---|---:|---:|---:|---:|---:|---:|");
        Map<String, Object> all = new LinkedHashMap<>();
        List<String> growthLines = new ArrayList<>();
        for (String preset : List.of("default", "bench-full")) {
            List<String> args = new ArrayList<>(List.of("turns", "--users", String.valueOf(cfg.convlenUsers), "--turns", String.valueOf(cfg.convlenTurns),
                    "--window", String.valueOf(window), "--preset", preset, "--tokens", "6", "--stall", String.valueOf(cfg.stallSeconds)));
            args.addAll(targets.get("chatai-chat").loadArgs(null, "conv" + (++runCounter)));
            Map<String, Object> r = load(args, line -> { });
            all.put(preset, r);
            Map<?, ?> early = (Map<?, ?>) r.get("early");
            Map<?, ?> late = (Map<?, ?>) r.get("late");
            double earlyMean = num(early, "latency_us", "mean");
            double earlyP50 = num(early, "latency_us", "p50");
            for (Map<?, ?> w : List.of(early, late)) {
                double mean = num(w, "latency_us", "mean");
                double p50 = num(w, "latency_us", "p50");
                boolean first = w == early;
                out("| " + preset + " | " + w.get("from") + "–" + w.get("to") + " | " + ms(mean) + " | " + ms(p50) + " | "
                        + ms(num(w, "latency_us", "p99")) + " | " + fmt0(num(w, "prompt_tokens")) + " | "
                        + (first ? "" : pct(p50 / earlyP50 - 1)) + " | " + (first ? "" : pct(mean / earlyMean - 1)) + " |");
            }
            long errors = errors(r);
            if (errors > 0) {
                out("| " + preset + " | errors: " + errorsCell(r) + " | | | | | | |");
            }
            List<?> growth = (List<?>) r.get("growth");
            StringBuilder g = new StringBuilder("| " + preset + " |");
            for (int turn : growthTurns(window)) {
                Map<?, ?> m = (Map<?, ?>) growth.get(turn - 1);
                g.append(" ").append(ms(num(m, "mean_us"))).append(" (").append(fmt0(num(m, "prompt_tokens"))).append(") |");
            }
            growthLines.add(g.toString());
            if (preset.equals("default")) {
                double lateP50 = num(late, "latency_us", "p50");
                double growthP50 = lateP50 / earlyP50 - 1;
                check("Conversation length (default preset): turns " + late.get("from") + "–" + late.get("to") + " vs " + early.get("from") + "–" + early.get("to"),
                        "p50 " + pct(growthP50) + " (" + ms(earlyP50) + " → " + ms(lateP50) + " ms), mean " + pct(num(late, "latency_us", "mean") / earlyMean - 1),
                        "not measurably slower (p50 ≤ +10 %)", growthP50 <= 0.10 && errors == 0);
            }
        }
        out("");
        out("While growing the long conversations (turn by turn, not interleaved, so machine drift is included): mean ms (prompt tokens) of each turn");
        out("");
        List<Integer> turnsShown = growthTurns(window);
        out("| preset |" + turnsShown.stream().map(t -> " turn " + t + " |").collect(Collectors.joining()));
        out("|---|" + "---:|".repeat(turnsShown.size()));
        growthLines.forEach(this::out);
        results.put("convlen", all);
    }

    List<Integer> growthTurns(int window) {
        int last = cfg.convlenTurns - window;
        List<Integer> list = new ArrayList<>();
        for (int t : new int[] {1, 2, 5, 10, 25, 50, 100, 150}) {
            if (t < last) {
                list.add(t);
            }
        }
        list.add(last);
        return list;
    }

    static String pct(double fraction) {
        return Double.isNaN(fraction) ? "–" : (fraction >= 0 ? "+" : "") + fmt0(fraction * 100) + " %";
    }

    // ------------------------------------------------------------------------------------------------
    // Streams

    void streams() throws Exception {
        int n = cfg.streams;
        long hard = parseLong(fdLimits()[1], 1 << 20);
        int capped = n;
        // A proxy holds two sockets per stream (client and upstream) in one process, plus ~100-300 fds of its own.
        if (2L * n + 400 > hard && !cfg.noStreamCap) {
            capped = (int) Math.max(100, ((hard - 400) / 2) / 100 * 100);
            warn("open files hard limit " + hard + " < 2 × " + n + " streams + 400: a proxy cannot hold " + n
                    + " streams; running " + capped + " (raise the hard limit, or --no-stream-cap to try anyway)");
        }
        String model = "fake-g" + cfg.streamGapMs + "-n" + cfg.streamChunks;
        double streamSeconds = (cfg.streamChunks - 1) * cfg.streamGapMs / 1000.0;
        // As slow as possible (fewest stream starts per second, so TTFT is not the server's turn-start queue)
        // while every stream is still open at once: 80 % of a stream's duration.
        double ramp = cfg.streamRampSeconds >= 0 ? cfg.streamRampSeconds : Math.max(0.1, 0.8 * streamSeconds);
        out("");
        out("## streams — " + capped + " concurrent streams, " + cfg.streamChunks + " chunks " + cfg.streamGapMs + " ms apart");
        out("");
        out("Each stream is its own connection; they open evenly over " + fmt1(ramp) + " s (" + fmt0(capped / Math.max(ramp, 0.001))
                + " new streams/s, after a warm-up of short streams) and each lasts ~" + fmt1(streamSeconds)
                + " s, so all are open at once (peak open). TTFT = time from "
                + "the request's write to the first content token; a stall = no byte for " + cfg.streamGapMs + " ms + " + fmt1(cfg.stallSeconds)
                + " s. Idle → open: the process under test before the run and when every stream has had its first token (RSS, OS threads; "
                + "for ChatAI also the live JVM heap: heap in use from /metrics right after a `jcmd GC.run`; peak = the highest heap in use, "
                + "garbage included, polled every second). Per stream = (open − idle) / streams open at that moment.");
        if (capped != n) {
            out("");
            out("**Capped from " + n + " to " + capped + " streams by the open-files hard limit (" + hard + ") — see the warnings.**");
        }
        out("");
        out("| target | streams | ok | errors | stalls | peak open | TTFT p50 ms | TTFT p99 ms | TTFT max ms | +TTFT p99 ms | total p50 s | total max s | longest silence ms | RSS idle → open MB | KB/stream | threads idle → open | heap idle → open MB | heap KB/stream |");
        out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> direct = null;
        for (Target t : select(cfg.streamTargets)) {
            // The forced GC (live heap) comes first: it makes G1 give memory back, so RSS is read after it,
            // and at the plateau RSS is read before it.
            double heapIdle = t.proc == chatai ? liveHeapMb() : Double.NaN;
            sleep(1000);
            Map<String, Long> idle = t.proc.status();
            Map<String, Object> open = new LinkedHashMap<>();
            int fdsIdle = t.proc.fds();
            List<String> args = new ArrayList<>(List.of("streams", "-n", String.valueOf(capped), "--ramp", String.valueOf(ramp),
                    "--gap", String.valueOf(cfg.streamGapMs), "--tokens", String.valueOf(cfg.streamChunks), "--stall", String.valueOf(cfg.stallSeconds)));
            args.addAll(t.loadArgs(model, "s" + (++runCounter)));
            args.addAll(List.of("--dump", runDir.resolve("streams-" + t.id + ".tsv").toString()));
            t.proc.resetPeak();
            AtomicLong heapPeak = new AtomicLong();
            Thread heapPoller = null;
            boolean[] polling = {true};
            if (t.proc == chatai) {
                heapPoller = Thread.ofPlatform().daemon().start(() -> {
                    while (polling[0]) {
                        double h = heapUsedMb();
                        heapPeak.accumulateAndGet((long) (h * 1024), Math::max);
                        sleep(1000);
                    }
                });
            }
            Map<String, Object> result = load(args, line -> {
                if (line.startsWith("PLATEAU")) {
                    Map<String, Long> s = t.proc.status();
                    open.put("rss_kb", s.getOrDefault("VmRSS", 0L));
                    open.put("threads", s.getOrDefault("Threads", 0L));
                    open.put("fds", (long) t.proc.fds());
                    open.put("open", Long.parseLong(line.replaceAll(".*open=(\\d+).*", "$1")));
                    if (t.proc == chatai) {
                        open.put("heap_used_mb", heapUsedMb());
                        open.put("heap_mb", liveHeapMb());
                    }
                }
            });
            polling[0] = false;
            if (heapPoller != null) {
                heapPoller.join(3000);
            }
            Map<String, Long> after = t.proc.status();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("target", t.id);
            r.putAll(result);
            r.put("idle", Map.of("rss_kb", idle.getOrDefault("VmRSS", 0L), "threads", idle.getOrDefault("Threads", 0L), "fds", fdsIdle,
                    "heap_mb", heapIdle));
            r.put("at_plateau", open);
            r.put("rss_peak_kb", after.getOrDefault("VmHWM", 0L));
            if (t.proc == chatai) {
                r.put("heap_peak_mb", heapPeak.get() / 1024.0);
            }
            rows.add(r);
            if (t.id.equals("direct-stream")) {
                direct = r;
            }
            long openCount = ((Number) open.getOrDefault("open", 0L)).longValue();
            double rssIdle = idle.getOrDefault("VmRSS", 0L) / 1024.0;
            double rssOpen = ((Number) open.getOrDefault("rss_kb", 0L)).doubleValue() / 1024.0;
            double perStream = openCount > 0 ? (rssOpen - rssIdle) * 1024 / openCount : Double.NaN;
            double heapOpen = ((Number) open.getOrDefault("heap_mb", Double.NaN)).doubleValue();
            double heapPer = openCount > 0 ? (heapOpen - heapIdle) * 1024 / openCount : Double.NaN;
            r.put("kb_per_stream", perStream);
            r.put("heap_kb_per_stream", heapPer);
            String addTtft = "";
            if (direct != null && direct != r) {
                double add = (num(r, "ttft_us", "p99") - num(direct, "ttft_us", "p99")) / 1000.0;
                r.put("added_ttft_p99_ms", add);
                addTtft = fmt3(add);
            }
            out("| " + t.id + " | " + capped + " | " + num(r, "ok").longValue() + " | " + errorsCell(r) + " | " + num(r, "stalls").longValue() + " | "
                    + num(r, "peak_open").longValue() + " | " + ms(num(r, "ttft_us", "p50")) + " | " + ms(num(r, "ttft_us", "p99")) + " | "
                    + ms(num(r, "ttft_us", "max")) + " | " + addTtft + " | " + fmt2(num(r, "total_us", "p50") / 1e6) + " | "
                    + fmt2(num(r, "total_us", "max") / 1e6) + " | " + fmt0(num(r, "max_gap_us", "max") / 1000) + " | " + fmt0(rssIdle) + " → " + fmt0(rssOpen)
                    + " | " + fmt1(perStream) + " | " + idle.getOrDefault("Threads", 0L) + " → " + open.getOrDefault("threads", "?") + " | "
                    + (t.proc == chatai ? fmt0(heapIdle) + " → " + fmt0(heapOpen) + " (peak " + fmt0(heapPeak.get() / 1024.0) + ")" : "") + " | "
                    + (t.proc == chatai ? fmt1(heapPer) : "") + " |");
            System.err.printf(Locale.ROOT, "  streams      %-20s ok %d/%d  TTFT p99 %.3f ms  errors %s%n", t.id, num(r, "ok").longValue(), capped,
                    num(r, "ttft_us", "p99") / 1000, errorsCell(r));
        }
        results.put("streams", rows);
        Map<String, Object> chat = rows.stream().filter(r -> "chatai-chat-stream".equals(r.get("target"))).findFirst().orElse(null);
        if (chat != null) {
            long ok = num(chat, "ok").longValue();
            long errors = errors(chat);
            long stalls = num(chat, "stalls").longValue();
            Double add = chat.get("added_ttft_p99_ms") == null ? null : num(chat, "added_ttft_p99_ms");
            double heapPeak = chat.get("heap_peak_mb") == null ? Double.NaN : num(chat, "heap_peak_mb");
            check("Streams: " + capped + " concurrent /api/chat/stream" + (capped != n ? " (capped from " + n + ")" : ""),
                    ok + " ok, " + errors + " errors, " + stalls + " stalls, peak open " + num(chat, "peak_open").longValue() + ", +TTFT p99 "
                            + (add == null ? "?" : fmt3(add) + " ms") + ", heap peak " + fmt0(heapPeak) + " MB, " + fmt1(num(chat, "kb_per_stream"))
                            + " KB RSS/stream, " + ((Map<?, ?>) chat.get("at_plateau")).get("threads") + " threads",
                    "all " + n + " complete, 0 errors/stalls, +TTFT p99 ≤ 5 ms, heap ≤ 1 GB",
                    capped == n && ok == n && errors == 0 && stalls == 0 && add != null && add <= 5 && heapPeak <= 1024);
        }
    }

    /**
     * ChatAI's live heap: a full GC ({@code jcmd GC.run}), then the heap in use. Taken only at idle and when
     * every stream is open (after all first tokens, so it cannot touch the time to first token).
     */
    double liveHeapMb() {
        if (!cfg.liveHeap) {
            return heapUsedMb();
        }
        String jcmd = Path.of(cfg.java).resolveSibling("jcmd").toString();
        command(List.of(jcmd, String.valueOf(chatai.pid()), "GC.run"));
        return heapUsedMb();
    }

    double heapUsedMb() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chatai.port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum / 1024 / 1024;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Soak

    void soak() throws Exception {
        Target t = targets.get(cfg.soakTarget);
        if (t == null) {
            throw new IllegalArgumentException("unknown soak target " + cfg.soakTarget);
        }
        double max = Double.NaN;
        String source;
        if (cfg.soakRate > 0) {
            source = "--soak-rate";
            max = cfg.soakRate * 2;
        } else {
            for (String key : List.of("cost", "scaling", "concurrency", "latency")) {
                Object rows = results.get(key);
                if (rows instanceof List<?> list) {
                    for (Object o : list) {
                        Map<?, ?> r = (Map<?, ?>) o;
                        if (t.id.equals(r.get("target")) && "fake".equals(r.get("model"))) {
                            max = Double.isNaN(max) ? ((Number) r.get("rps")).doubleValue() : Math.max(max, ((Number) r.get("rps")).doubleValue());
                        }
                    }
                }
            }
            source = "the best req/s of " + t.id + " measured above";
            if (Double.isNaN(max)) {
                Map<String, Object> probe = closedRun(t, 64, "fake", 6, cfg.warmupSeconds, Math.max(5, cfg.durationSeconds / 2), "soak-probe");
                max = num(probe, "rps");
                source = "a " + fmt0(Math.max(5, cfg.durationSeconds / 2)) + " s probe at 64 clients";
            }
        }
        double rate = Math.max(1, Math.floor(max / 2));
        out("");
        out("## soak — " + t.id + " at " + fmt0(rate) + " req/s for " + fmtDuration(cfg.soakSeconds));
        out("");
        out("Half the maximum (" + fmt0(max) + " req/s, from " + source + "), as an open loop: requests are sent on a fixed schedule and latency "
                + "counts from each request's scheduled time, so a pause of the server shows up in full. RSS is compared with its value at the "
                + "end of the warm-up (" + fmtDuration(cfg.soakWarmupSeconds) + ").");
        out("");
        out("| t s | req/s | errors | stalls | p50 ms | p99 ms | max ms | RSS MB | RSS vs warm-up | heap MB | threads |");
        out("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<String> args = new ArrayList<>(List.of("rate", "--rate", String.valueOf(rate), "--duration", String.valueOf(cfg.soakSeconds),
                "--interval", String.valueOf(cfg.soakIntervalSeconds), "--stall", String.valueOf(cfg.stallSeconds), "--tokens", "6"));
        args.addAll(t.loadArgs("fake", "soak" + (++runCounter)));
        List<Map<String, Object>> intervals = new ArrayList<>();
        double[] baseline = {Double.NaN};
        double[] worstDev = {0};
        t.proc.resetPeak();
        Map<String, Object> result = load(args, line -> {
            if (!line.startsWith("INTERVAL ")) {
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) MiniJson.parse(line.substring(9));
            Map<String, Long> s = t.proc.status();
            double rss = s.getOrDefault("VmRSS", 0L) / 1024.0;
            double heap = t.proc == chatai ? heapUsedMb() : Double.NaN;
            m.put("rss_mb", rss);
            m.put("heap_mb", heap);
            m.put("threads", s.getOrDefault("Threads", 0L));
            double at = num(m, "t");
            String dev = "";
            if (Double.isNaN(baseline[0]) && at >= cfg.soakWarmupSeconds - 1e-6) {
                baseline[0] = rss;
                dev = "baseline";
            } else if (!Double.isNaN(baseline[0])) {
                double d = (rss / baseline[0] - 1) * 100;
                worstDev[0] = Math.abs(d) > Math.abs(worstDev[0]) ? d : worstDev[0];
                m.put("rss_dev_pct", d);
                dev = (d >= 0 ? "+" : "") + fmt1(d) + " %";
            }
            intervals.add(m);
            Map<?, ?> lat = (Map<?, ?>) m.get("latency_us");
            out("| " + fmt0(at) + " | " + fmt0(num(m, "rps")) + " | " + num(m, "errors").longValue() + " | " + num(m, "stalls").longValue() + " | "
                    + (lat.get("p50") == null ? "" : ms(((Number) lat.get("p50")).doubleValue())) + " | "
                    + (lat.get("p99") == null ? "" : ms(((Number) lat.get("p99")).doubleValue())) + " | "
                    + (lat.get("max") == null ? "" : ms(((Number) lat.get("max")).doubleValue())) + " | " + fmt0(rss) + " | " + dev + " | "
                    + fmt0(heap) + " | " + m.get("threads") + " |");
        });
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target", t.id);
        r.put("rate", rate);
        r.put("max_measured", max);
        r.putAll(result);
        r.put("intervals", intervals);
        r.put("rss_baseline_mb", baseline[0]);
        r.put("rss_worst_dev_pct", worstDev[0]);
        results.put("soak", r);
        long errors = errors(r);
        out("");
        out("Soak total: " + num(r, "ok").longValue() + " ok, " + errors + " errors, " + num(r, "stalls").longValue() + " stalls, "
                + num(r, "dropped").longValue() + " not sent (in-flight cap), latency p50 " + ms(num(r, "latency_us", "p50")) + " ms, p99 "
                + ms(num(r, "latency_us", "p99")) + " ms, max " + ms(num(r, "latency_us", "max")) + " ms; RSS after warm-up "
                + fmt0(baseline[0]) + " MB, worst deviation " + fmt1(worstDev[0]) + " %.");
        check("Soak: " + t.id + " " + fmtDuration(cfg.soakSeconds) + " at " + fmt0(rate) + " req/s", errors + " errors, RSS within " + fmt1(worstDev[0]) + " %",
                "0 errors, RSS ±10 %", errors == 0 && num(r, "stalls") == 0 && Math.abs(worstDev[0]) <= 10 && !Double.isNaN(baseline[0]));
    }

    // ------------------------------------------------------------------------------------------------
    // Targets

    void check(String what, String measured, String target, Boolean pass) {
        checks.add(new String[] {what, measured, target, pass == null ? "—" : pass ? "PASS" : "FAIL"});
    }

    void targetsTable() {
        out("");
        out("## The issue's targets");
        out("");
        if (cfg.quick) {
            out("_A --quick smoke run: durations, clients and stream counts are far below the issue's; these verdicts only show the checks work._");
            out("");
        }
        out("| target | measured | required | verdict |");
        out("|---|---|---|---|");
        for (String[] c : checks) {
            out("| " + c[0] + " | " + c[1] + " | " + c[2] + " | " + c[3] + " |");
        }
        if (checks.isEmpty()) {
            out("| (no scenario with a target was run) | | | |");
        }
        List<Map<String, String>> list = new ArrayList<>();
        for (String[] c : checks) {
            list.add(Map.of("target", c[0], "measured", c[1], "required", c[2], "verdict", c[3]));
        }
        results.put("targets", list);
        if (!warnings.isEmpty()) {
            out("");
            out("Warnings:");
            warnings.forEach(w -> out("- " + w));
        }
        try {
            out("");
            out("Load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (IOException e) {
            // ignore
        }
    }

    void warn(String message) {
        warnings.add(message);
        System.err.println("WARNING: " + message);
    }

    // ------------------------------------------------------------------------------------------------
    // Processes

    final class Proc {
        final String name;
        final Process process;
        int port;

        Proc(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        long pid() {
            return process.pid();
        }

        List<Long> pids() {
            List<Long> list = new ArrayList<>();
            list.add(process.pid());
            process.descendants().forEach(h -> list.add(h.pid()));
            return list;
        }

        /** VmRSS, VmHWM (kB) and Threads, summed over the process and its descendants (nginx's workers). */
        Map<String, Long> status() {
            Map<String, Long> sum = new LinkedHashMap<>();
            for (long pid : pids()) {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                        for (String key : List.of("VmRSS", "VmHWM", "Threads")) {
                            if (line.startsWith(key + ":")) {
                                sum.merge(key, Long.parseLong(line.replaceAll("\\D", "")), Long::sum);
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended
                }
            }
            return sum;
        }

        long cpuTicks() {
            long ticks = 0;
            for (long pid : pids()) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException e) {
                    // the process ended
                }
            }
            return ticks;
        }

        int fds() {
            int n = 0;
            for (long pid : pids()) {
                try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                    n += (int) s.count();
                } catch (IOException | RuntimeException e) {
                    // the process ended
                }
            }
            return n;
        }

        /** Resets the peak RSS (VmHWM) so the next reading is the peak since now (Linux clear_refs 5). */
        void resetPeak() {
            for (long pid : pids()) {
                try {
                    Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
                } catch (IOException | RuntimeException e) {
                    // not permitted: the peak then covers the process's whole life
                }
            }
        }
    }

    Proc start(String name, List<String> cmd, Map<String, String> env, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(runDir.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        Proc p = new Proc(name, pb.start());
        synchronized (procs) {
            procs.add(p);
        }
        return p;
    }

    void stopAll() {
        List<Proc> list;
        synchronized (procs) {
            list = new ArrayList<>(procs);
            procs.clear();
        }
        for (Proc p : list) {
            if (p.process.isAlive()) {
                p.process.destroy(); // SIGTERM: nginx fast shutdown, ChatAI graceful stop
            }
        }
        for (Proc p : list) {
            try {
                if (!p.process.waitFor(20, TimeUnit.SECONDS)) {
                    p.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!list.isEmpty() && !cfg.keepData) {
            deleteTree(runDir.resolve("chatai-data"));
        }
    }

    void writeFiles() {
        try {
            Files.writeString(runDir.resolve("report.md"), report.toString());
            Files.writeString(runDir.resolve("results.json"), Load.Json.write(results) + "\n");
        } catch (IOException e) {
            System.err.println("bench: could not write the report: " + e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    // leave it
                }
            });
        } catch (IOException e) {
            // leave it
        }
    }

    void waitHttp(String what, String url, String postBody, int seconds, String... headers) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            for (Proc p : procs) {
                if (!p.process.isAlive()) {
                    throw new IllegalStateException(p.name + " exited (code " + p.process.exitValue() + "); see " + runDir.resolve(p.name + ".log"));
                }
            }
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
                if (headers.length > 0) {
                    b.headers(headers);
                }
                if (postBody != null) {
                    b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(postBody));
                }
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(200);
        }
        throw new IllegalStateException(what + " did not answer at " + url + " within " + seconds + " s: " + last);
    }

    String post(String url, String key, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String command(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return s;
        } catch (Exception e) {
            return "?";
        }
    }

    static String grepFirst(Path file, String prefix) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("?");
    }

    // ------------------------------------------------------------------------------------------------
    // Targets of the load

    final class Target {
        final String id;
        final Proc proc;
        final int port;
        final String path;
        final boolean chat;
        final boolean stream;
        final List<String> headers;
        final String auth;

        Target(String id, Proc proc, int port, String path, boolean chat, boolean stream, List<String> headers, String auth) {
            this.id = id;
            this.proc = proc;
            this.port = port;
            this.path = path;
            this.chat = chat;
            this.stream = stream;
            this.headers = headers;
            this.auth = auth;
        }

        List<String> loadArgs(String model, String prefix) {
            List<String> a = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + port + path, "--kind", chat ? "chat" : "openai", "--auth", auth,
                    "--prefix", prefix));
            // ChatAI's default preset already asks for "fake" (CHATAI_DEFAULT_MODEL): a bot's request names no model.
            if (model != null && !(chat && model.equals("fake"))) {
                a.add("--model");
                a.add(model);
            }
            if (stream) {
                a.add("--stream");
            }
            for (String h : headers) {
                a.add("-H");
                a.add(h);
            }
            return a;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Output helpers

    void out(String line) {
        System.out.println(line);
        System.out.flush();
        report.append(line).append('\n');
    }

    static long errors(Map<String, Object> r) {
        Object e = r.get("errors");
        if (e instanceof Map<?, ?> m) {
            return ((Number) m.get("total")).longValue();
        }
        return e instanceof Number n ? n.longValue() : 0;
    }

    static String errorsCell(Map<String, Object> r) {
        long total = errors(r);
        Object unfinished = r.get("unfinished");
        long u = unfinished instanceof Number n ? n.longValue() : 0;
        if (total == 0 && u == 0) {
            return "0";
        }
        Map<?, ?> m = (Map<?, ?>) r.get("errors");
        List<String> parts = new ArrayList<>();
        for (String k : List.of("connect", "io", "body")) {
            long v = ((Number) m.get(k)).longValue();
            if (v > 0) {
                parts.add(k + " " + v);
            }
        }
        ((Map<?, ?>) m.get("status")).forEach((k, v) -> parts.add(k + "×" + v));
        if (u > 0) {
            parts.add("unfinished " + u);
        }
        return (total + u) + " (" + String.join(", ", parts) + ")";
    }

    static Double num(Map<?, ?> m, String... keys) {
        Object o = m;
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> map)) {
                return Double.NaN;
            }
            o = map.get(k);
        }
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static Object path(Object o, String... keys) {
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> map)) {
                return null;
            }
            o = map.get(k);
        }
        return o;
    }

    static String ms(double micros) {
        return fmt3(micros / 1000.0);
    }

    static String fmt3(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String fmt2(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String fmt1(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String fmt0(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    static String fmtDuration(double seconds) {
        if (seconds >= 3600 && seconds % 3600 == 0) {
            return (long) (seconds / 3600) + " h";
        }
        if (seconds >= 60 && seconds % 60 == 0) {
            return (long) (seconds / 60) + " min";
        }
        return fmt1(seconds) + " s";
    }

    static long parseLong(String s, long fallback) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Configuration

    static final class Config {
        static final String USAGE = """
                usage: bench/run.sh [options]
                  --quick                  ~2-minute smoke run of every scenario (short, few clients, 200 streams)
                  --only a,b               scenarios to run, in this order: latency,cost,scaling,concurrency,convlen,streams,soak
                  --skip a,b               scenarios to leave out (e.g. --skip soak)
                  --duration 20s           measured time of each request/response run (default 20s; quick 2s)
                  --warmup 5s              warm-up before each run, discarded (default 5s; quick 1s)
                  --global-warmup 15s      warm-up of each JIT-compiled target before the first scenario (default 15s; quick 2s)
                  --targets a,b            targets of latency and cost (default: all ten)
                                           direct nginx portkey chatai-v1 chatai-chat, and each with -stream
                  --scaling-clients 1,16,64,256,1024   --scaling-targets direct,nginx,portkey,chatai-v1,chatai-chat
                  --concurrency-clients 64,128,256,512,1024   --concurrency-targets direct,nginx,chatai-v1,chatai-chat
                  --concurrency-ttfb 20    upstream time to first byte in the concurrency scenario, ms
                  --streams 10000          concurrent streams (quick 200)   --stream-chunks 20   --stream-gap 500 (ms)
                  --stream-ramp 7.6s       time over which the streams open (default 80 % of a stream's duration)
                  --stream-targets direct-stream,nginx-stream,portkey-stream,chatai-v1-stream,chatai-chat-stream
                  --no-stream-cap          run the full stream count even when the open-files limit cannot hold it
                  --no-live-heap           do not force a GC (jcmd GC.run) in ChatAI to read its live heap per stream
                  --convlen-turns 200      --convlen-users 10
                  --soak 30m               soak duration (quick 8s)   --soak-rate N (default: half the best measured)
                  --soak-target chatai-chat   --soak-interval 60s   --soak-warmup 2m
                  --stall 5s               a request or stream silent this long (beyond the pacing) is a stall
                  --driver-threads 1       selector threads of the load driver
                  --jar PATH               the ChatAI jar (default target/chatai-server.jar)
                  --jvm-opts "..."         extra JVM flags for ChatAI (e.g. -Xmx1g)   --jfr   record a JFR profile of ChatAI
                  --no-nginx --no-portkey  leave a peer out      --keep-data   keep ChatAI's data dir
                  --out DIR                run directory (default bench/results/<timestamp>)
                """;
        boolean help;
        boolean quick;
        Path repo = Path.of(".").toAbsolutePath().normalize();
        Path classes;
        Path jar;
        Path out;
        String java = ProcessHandle.current().info().command().orElse("java");
        String nginxBin = "nginx";
        List<String> scenarios = new ArrayList<>(SCENARIOS);
        double durationSeconds = 20;
        double warmupSeconds = 5;
        double globalWarmupSeconds = 15;
        List<String> mainTargets = ALL_TARGETS;
        List<Integer> scalingClients = List.of(1, 16, 64, 256, 1024);
        List<String> scalingTargets = List.of("direct", "nginx", "portkey", "chatai-v1", "chatai-chat");
        List<Integer> concurrencyClients = List.of(64, 128, 256, 512, 1024);
        List<String> concurrencyTargets = List.of("direct", "nginx", "chatai-v1", "chatai-chat");
        int concurrencyTtfbMs = 20;
        int streams = 10_000;
        int streamChunks = 20;
        int streamGapMs = 500;
        double streamRampSeconds = -1; // auto: 80 % of a stream's duration
        List<String> streamTargets = List.of("direct-stream", "nginx-stream", "portkey-stream", "chatai-v1-stream", "chatai-chat-stream");
        boolean noStreamCap;
        int convlenTurns = 200;
        int convlenUsers = 10;
        double soakSeconds = 1800;
        double soakRate;
        String soakTarget = "chatai-chat";
        double soakIntervalSeconds = 60;
        double soakWarmupSeconds = 120;
        double stallSeconds = 5;
        int driverThreads = 1;
        List<String> jvmOpts = new ArrayList<>();
        boolean jfr;
        boolean noNginx;
        boolean noPortkey;
        boolean keepData;
        boolean liveHeap = true;
        List<String> driverJvm = List.of("-Xms1g", "-Xmx1g", "-Xmn512m", "-XX:+UseParallelGC", "-XX:-UsePerfData");

        static Config parse(String[] args) {
            Config c = new Config();
            List<String> a = Arrays.asList(args);
            if (a.contains("--quick")) {
                c.quick = true;
                c.durationSeconds = 2;
                c.warmupSeconds = 1;
                c.globalWarmupSeconds = 2;
                c.mainTargets = List.of("direct", "nginx", "portkey", "chatai-v1", "chatai-chat", "direct-stream", "chatai-chat-stream");
                c.scalingClients = List.of(1, 64);
                c.scalingTargets = List.of("chatai-v1", "chatai-chat");
                c.concurrencyClients = List.of(64, 256);
                c.concurrencyTargets = List.of("chatai-v1", "chatai-chat");
                c.streams = 200;
                c.streamChunks = 5;
                c.streamGapMs = 100;
                c.convlenTurns = 30;
                c.convlenUsers = 3;
                c.soakSeconds = 8;
                c.soakIntervalSeconds = 2;
                c.soakWarmupSeconds = 2;
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
                        String v = args[++i];
                        switch (o) {
                            case "--repo" -> c.repo = Path.of(v).toAbsolutePath().normalize();
                            case "--classes" -> c.classes = Path.of(v).toAbsolutePath();
                            case "--java" -> c.java = v;
                            case "--nginx" -> c.nginxBin = v;
                            case "--only" -> c.scenarios = list(v, SCENARIOS);
                            case "--skip" -> skip.addAll(list(v, SCENARIOS));
                            case "--duration" -> c.durationSeconds = seconds(v);
                            case "--warmup" -> c.warmupSeconds = seconds(v);
                            case "--global-warmup" -> c.globalWarmupSeconds = seconds(v);
                            case "--targets" -> c.mainTargets = list(v, ALL_TARGETS);
                            case "--scaling-clients" -> c.scalingClients = ints(v);
                            case "--scaling-targets" -> c.scalingTargets = list(v, ALL_TARGETS);
                            case "--concurrency-clients" -> c.concurrencyClients = ints(v);
                            case "--concurrency-targets" -> c.concurrencyTargets = list(v, ALL_TARGETS);
                            case "--concurrency-ttfb" -> c.concurrencyTtfbMs = Integer.parseInt(v);
                            case "--streams" -> c.streams = Integer.parseInt(v);
                            case "--stream-chunks" -> c.streamChunks = Integer.parseInt(v);
                            case "--stream-gap" -> c.streamGapMs = (int) Math.round(seconds(v.matches("\\d+") ? v + "ms" : v) * 1000);
                            case "--stream-ramp" -> c.streamRampSeconds = seconds(v);
                            case "--stream-targets" -> c.streamTargets = list(v, ALL_TARGETS);
                            case "--convlen-turns" -> c.convlenTurns = Integer.parseInt(v);
                            case "--convlen-users" -> c.convlenUsers = Integer.parseInt(v);
                            case "--soak" -> c.soakSeconds = seconds(v);
                            case "--soak-rate" -> c.soakRate = Double.parseDouble(v);
                            case "--soak-target" -> c.soakTarget = v;
                            case "--soak-interval" -> c.soakIntervalSeconds = seconds(v);
                            case "--soak-warmup" -> c.soakWarmupSeconds = seconds(v);
                            case "--stall" -> c.stallSeconds = seconds(v);
                            case "--driver-threads" -> c.driverThreads = Integer.parseInt(v);
                            case "--jar" -> c.jar = Path.of(v).toAbsolutePath();
                            case "--jvm-opts" -> c.jvmOpts.addAll(Arrays.asList(v.trim().split("\\s+")));
                            case "--out" -> c.out = Path.of(v).toAbsolutePath();
                            default -> throw new IllegalArgumentException("unknown option " + o);
                        }
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

        void drop(String peer) {
            mainTargets = mainTargets.stream().filter(t -> !t.startsWith(peer)).toList();
            scalingTargets = scalingTargets.stream().filter(t -> !t.startsWith(peer)).toList();
            concurrencyTargets = concurrencyTargets.stream().filter(t -> !t.startsWith(peer)).toList();
            streamTargets = streamTargets.stream().filter(t -> !t.startsWith(peer)).toList();
        }

        static List<String> list(String v, List<String> allowed) {
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

        static List<Integer> ints(String v) {
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

    // ------------------------------------------------------------------------------------------------
    // Minimal JSON reader (objects, arrays, strings, numbers, booleans, null)

    static final class MiniJson {
        private final String s;
        private int i;

        private MiniJson(String s) {
            this.s = s;
        }

        static Object parse(String s) {
            MiniJson p = new MiniJson(s);
            Object v = p.value();
            p.ws();
            if (p.i != s.length()) {
                throw new IllegalArgumentException("trailing characters in JSON at " + p.i);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                            continue;
                        }
                        expect('}');
                        return m;
                    }
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                            continue;
                        }
                        expect(']');
                        return l;
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    String n = s.substring(start, i);
                    if (n.isEmpty()) {
                        throw new IllegalArgumentException("bad JSON at " + start);
                    }
                    if (n.matches("-?\\d+") && n.length() < 19) {
                        return Long.parseLong(n);
                    }
                    return Double.parseDouble(n);
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + i);
            }
            i++;
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }
    }
}
