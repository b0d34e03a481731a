package driver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/** Clock helpers of the driver: sleeping to a deadline, its own CPU time, and rounding to three decimals. Stateless. */
final class Timing {
    private Timing() {
    }

    static void sleepUntil(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline) {
            LockSupport.parkNanos(Math.min(deadline - now, 100_000_000L));
        }
    }

    /** User + system CPU time of this process from /proc, in nanoseconds (0 where /proc is missing). */
    static long cpuNanosOfSelf() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // USER_HZ = 100
        } catch (Exception e) {
            return 0;
        }
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
