package harness;

import java.util.Map;

/**
 * Measures the process under test (and the fake upstream) over a run's measured window, from
 * {@link #begin} to {@link #end}: CPU time of each, the host's busy share, and the peak RSS and thread count
 * (VmHWM after a reset, plus VmRSS polled every 200 ms by a daemon thread). The figures are read after
 * {@link #end}, on the thread that called it.
 */
final class ProcessWindow {
    private final Proc proc;
    private final Proc fake;
    private final long clockTicks;
    private long cpu0;
    private long cpu1;
    private long fake0;
    private long fake1;
    private long[] host0;
    private long[] host1;
    private volatile long peakRssKb;
    private volatile long peakThreads;
    private volatile boolean sampling;

    ProcessWindow(Proc proc, Proc fake, long clockTicks) {
        this.proc = proc;
        this.fake = fake;
        this.clockTicks = clockTicks;
    }

    void begin() {
        proc.resetPeak();
        cpu0 = proc.cpuTicks();
        fake0 = fake.cpuTicks();
        host0 = Machine.hostCpu();
        sampling = true;
        Thread.ofPlatform().daemon().start(() -> {
            while (sampling) {
                Map<String, Long> s = proc.status();
                peakRssKb = Math.max(peakRssKb, s.getOrDefault("VmRSS", 0L));
                peakThreads = Math.max(peakThreads, s.getOrDefault("Threads", 0L));
                Processes.sleep(200);
            }
        });
    }

    void end() {
        cpu1 = proc.cpuTicks();
        fake1 = fake.cpuTicks();
        host1 = Machine.hostCpu();
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

    long peakRssKb() {
        return peakRssKb;
    }

    long peakThreads() {
        return peakThreads;
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
