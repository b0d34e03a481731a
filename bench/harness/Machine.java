package harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import report.Report;

/**
 * The machine the run is on: prints the report's machine table (CPU, memory, load, open-files limit, versions,
 * the jar and the commit), warns when the machine is busy, and reads host-wide figures from {@code /proc}.
 * Stateless.
 */
public final class Machine {
    private Machine() {
    }

    /** Prints the machine table, records it under "machine", and returns the kernel's clock ticks per second. */
    public static long describe(BenchOptions cfg, Report report) throws Exception {
        Path repo = cfg.repo;
        String cpu = grepFirst(Path.of("/proc/cpuinfo"), "model name").replaceFirst(".*:\\s*", "");
        int cores = Runtime.getRuntime().availableProcessors();
        long memKb = Long.parseLong(grepFirst(Path.of("/proc/meminfo"), "MemTotal").replaceAll("\\D", ""));
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        String[] limits = fdLimits();
        String commit = Processes.command(List.of("git", "-C", repo.toString(), "rev-parse", "--short", "HEAD")).trim();
        String dirty = Processes.command(List.of("git", "-C", repo.toString(), "status", "--porcelain", "--untracked-files=no", "--", "src", "pom.xml"))
                .isBlank() ? "" : " (with uncommitted changes)";
        String javaVersion = Processes.command(List.of(cfg.java, "-version")).lines().findFirst().orElse("?");
        String nodeVersion = cfg.noPortkey ? "-" : Processes.command(List.of("node", "--version")).trim();
        String nginxVersion = cfg.noNginx ? "-" : Processes.command(List.of(cfg.nginxBin, "-v")).trim().replace("nginx version: ", "");
        long clockTicks = Long.parseLong(Processes.command(List.of("getconf", "CLK_TCK")).trim());
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
        String built = Files.exists(cfg.jar) ? LocalDateTime.ofInstant(Files.getLastModifiedTime(cfg.jar).toInstant(), ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) : "missing";
        m.put("jar_built", built);
        report.results().put("machine", m);
        report.out("| machine | |");
        report.out("|---|---|");
        report.out("| CPU | " + cpu + ", " + cores + " cores |");
        report.out("| memory | " + m.get("memory_gib") + " GiB |");
        report.out("| kernel | " + kernel + " |");
        report.out("| load average at start | " + load + " |");
        report.out("| open files limit | " + m.get("nofile") + " |");
        report.out("| Java (ChatAI, fake, driver) | " + javaVersion + " |");
        report.out("| nginx / node | " + nginxVersion + " / " + nodeVersion + " (Portkey @portkey-ai/gateway 1.15.2) |");
        report.out("| ChatAI | " + m.get("jar") + " (built " + built + "); working tree at " + commit + dirty + " |");
        double load1 = Double.parseDouble(load.split(" ")[0]);
        if (load1 > 0.5) {
            report.warn("the machine is not quiet (load average " + load.split(" ")[0] + " before the run): absolute numbers will be noisy; compare ratios");
        }
        return clockTicks;
    }

    /** The soft and hard open-files limits of this process ("?" where unknown). */
    public static String[] fdLimits() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return new String[] {f[0], f[1]};
            }
        }
        return new String[] {"?", "?"};
    }

    /** The hard open-files limit, or the fallback when it is "unlimited" or unknown. */
    public static long hardFdLimit(long fallback) throws IOException {
        try {
            return Long.parseLong(fdLimits()[1]);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Total and idle jiffies of all CPUs since boot (from /proc/stat), or null without /proc. */
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

    private static String grepFirst(Path file, String prefix) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("?");
    }
}
