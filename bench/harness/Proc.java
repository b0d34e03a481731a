package harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A running peer and its port, with readings of its {@code /proc} entries summed over the process and its
 * descendants (nginx's workers): RSS and its peak, threads, CPU ticks, open files. Readings of a process that
 * has ended count as zero. Safe to read from any thread.
 */
public record Proc(Peer peer, Process process, int port) {
    public String name() {
        return peer.id();
    }

    public long pid() {
        return process.pid();
    }

    private List<Long> pids() {
        List<Long> list = new ArrayList<>();
        list.add(process.pid());
        process.descendants().forEach(h -> list.add(h.pid()));
        return list;
    }

    /** VmRSS, VmHWM (kB) and Threads, summed over the process and its descendants (nginx's workers). */
    public Map<String, Long> status() {
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

    /** User + system CPU time in clock ticks. */
    public long cpuTicks() {
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

    public int fds() {
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
    public void resetPeak() {
        for (long pid : pids()) {
            try {
                Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
            } catch (IOException | RuntimeException e) {
                // not permitted: the peak then covers the process's whole life
            }
        }
    }
}
