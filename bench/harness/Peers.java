package harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import report.Report;

/**
 * The running peers on their free loopback ports (nginx and Portkey null when left out) and ChatAI's admin
 * key. {@link #start} launches them in order, each waited for before the next, and prints the process rows of
 * the machine table. Immutable.
 */
public record Peers(Proc fake, Proc nginx, Proc portkey, Proc chatai, String adminKey) {

    public static Peers start(BenchOptions cfg, Path runDir, Processes processes, Report report) throws Exception {
        int fakePort = Processes.freePort();
        Proc fake = processes.start(Peer.FAKE, fakePort, List.of(cfg.java, "-cp", cfg.classes.toString(), "FakeUpstream", String.valueOf(fakePort)),
                Map.of(), cfg.repo);
        processes.waitHttp("fake upstream", "http://127.0.0.1:" + fakePort + "/health", null, 30);
        Proc nginx = cfg.noNginx ? null : startNginx(cfg, runDir, processes, fakePort);
        Proc portkey = cfg.noPortkey ? null : startPortkey(cfg, processes, fakePort);
        String adminKey = "bench-admin-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + Long.toHexString(System.nanoTime());
        ChataiLaunch chatai = ChataiLaunch.start(cfg, runDir, processes, adminKey);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("fake", Map.of("port", fakePort, "pid", fake.pid()));
        if (nginx != null) {
            p.put("nginx", Map.of("port", nginx.port(), "pid", nginx.pid()));
        }
        if (portkey != null) {
            p.put("portkey", Map.of("port", portkey.port(), "pid", portkey.pid()));
        }
        Map<String, String> env = chatai.env();
        List<String> flags = chatai.flags();
        p.put("chatai", Map.of("port", chatai.proc().port(), "pid", chatai.proc().pid(), "jvm_flags", String.join(" ", flags), "env",
                env.entrySet().stream().filter(e -> !e.getKey().equals("CHATAI_ADMIN_KEY") && !e.getKey().contains("PASSWORD"))
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))));
        report.results().put("processes", p);
        report.out("| ChatAI JVM flags | `" + (flags.isEmpty() ? "(none)" : String.join(" ", flags)).replace(runDir.toString(), "<run>")
                + "` (JVM defaults otherwise: G1, heap max = 1/4 of RAM) |");
        report.out("| ChatAI env | rate limits 0, `CHATAI_METRICS_PUBLIC=true`, `CHATAI_DEFAULT_MODEL=fake`, fresh SQLite data dir"
                + (env.containsKey("CHATAI_DATABASE_URL") ? " — database " + env.get("CHATAI_DATABASE_URL") : "") + " |");
        report.out("| load driver | bench/Load.java (JDK NIO, closed loop, exact latencies), JVM `" + String.join(" ", cfg.driverJvm) + "`, "
                + cfg.driverThreads + " selector thread(s) |");
        return new Peers(fake, nginx, portkey, chatai.proc(), adminKey);
    }

    private static Proc startNginx(BenchOptions cfg, Path runDir, Processes processes, int fakePort) throws Exception {
        int port = Processes.freePort();
        Path dir = runDir.resolve("nginx");
        Files.createDirectories(dir);
        Path conf = NginxConfig.write(dir, fakePort, port);
        Proc nginx = processes.start(Peer.NGINX, port, List.of(cfg.nginxBin, "-e", dir.resolve("error.log").toString(), "-p", dir.toString(),
                "-c", conf.toString()), Map.of(), dir);
        processes.waitHttp("nginx", "http://127.0.0.1:" + port + "/v1/chat/completions", "{\"model\":\"fake\"}", 30);
        return nginx;
    }

    private static Proc startPortkey(BenchOptions cfg, Processes processes, int fakePort) throws Exception {
        int port = Processes.freePort();
        Path dir = cfg.repo.resolve("bench/portkey");
        if (!Files.isDirectory(dir.resolve("node_modules/@portkey-ai/gateway"))) {
            throw new IllegalStateException("Portkey is not installed: run bench/run.sh (or cd bench/portkey && npm ci), or pass --no-portkey");
        }
        Proc portkey = processes.start(Peer.PORTKEY, port, List.of("node", "node_modules/@portkey-ai/gateway/build/start-server.js", "--port=" + port,
                "--headless"), Map.of("NODE_ENV", "production"), dir);
        processes.waitHttp("portkey", "http://127.0.0.1:" + port + "/v1/chat/completions", "{\"model\":\"fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                60, "x-portkey-provider", "openai", "x-portkey-custom-host", "http://127.0.0.1:" + fakePort + "/v1", "Authorization", "Bearer sk-x");
        return portkey;
    }

    /** ChatAI as started: its process, the environment it got and its extra JVM flags. */
    private record ChataiLaunch(Proc proc, Map<String, String> env, List<String> flags) {
        static ChataiLaunch start(BenchOptions cfg, Path runDir, Processes processes, String adminKey) throws Exception {
            int port = Processes.freePort();
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
            List<String> flags = new ArrayList<>();
            flags.add("-Xlog:gc:file=" + runDir.resolve("chatai-gc.log"));
            if (cfg.jfr) {
                flags.add("-XX:StartFlightRecording=filename=" + runDir.resolve("chatai.jfr") + ",settings=profile,dumponexit=true");
            }
            flags.addAll(cfg.jvmOpts);
            List<String> cmd = new ArrayList<>();
            cmd.add(cfg.java);
            cmd.addAll(flags);
            cmd.add("-jar");
            cmd.add(cfg.jar.toString());
            Proc proc = processes.start(Peer.CHATAI, port, cmd, env, runDir);
            processes.waitHttp("chatai", "http://127.0.0.1:" + port + "/health", null, 90);
            return new ChataiLaunch(proc, env, flags);
        }
    }
}
