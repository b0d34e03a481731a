package io.chatai.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's background work, started and stopped in one place: periodic ticks on one scheduler, and
 * the few dedicated loops that own a resource (SQLite's writer owns its connection). A tick or a loop
 * step that throws, an {@link Error} included, is logged once per kind of failure ({@link FailureLog})
 * and the work runs on: one bad tick never silences the timer. Thread-safe.
 *
 * <p>Each task runs one tick at a time (fixed delay, never overlapping itself) on the scheduler's
 * platform threads, which it creates as tasks are registered, up to one per task: a tick blocked on a
 * slow database delays only its own next run, never the keep-alives or the lease renewals. Platform,
 * not virtual, threads: a checkpoint or a query in native SQLite code would pin a virtual thread's
 * carrier, taking a core from the requests meanwhile.
 */
public final class Background implements AutoCloseable {
    /** More than the server registers (threads are created as tasks come): a blocked tick holds one. */
    private static final int WORKERS = 16;

    private final ScheduledThreadPoolExecutor scheduler;
    private final List<Periodic> periodic = new ArrayList<>(); // guarded by this
    private final List<Loop> loops = new ArrayList<>();        // guarded by this

    public Background() {
        scheduler = new ScheduledThreadPoolExecutor(WORKERS, Thread.ofPlatform().daemon().name("background-", 0).factory());
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Work repeated in the background; the next run starts {@code period} after the previous one ended. */
    @FunctionalInterface
    public interface Tick {
        void run() throws Exception;
    }

    /** One pass of a dedicated loop; it may block (a queue's {@code take}), and is interrupted to stop. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** Runs {@code tick} every {@code period} (the first run one period from now) until cancelled or closed. */
    public synchronized Periodic every(String name, Duration period, Tick tick) {
        Periodic task = new Periodic(name, tick);
        long nanos = Math.max(1, period.toNanos());
        task.future = scheduler.scheduleWithFixedDelay(task::runOnce, nanos, nanos, TimeUnit.NANOSECONDS);
        periodic.add(task);
        return task;
    }

    /**
     * Starts a platform thread that runs {@code step} over and over until {@link Loop#stop} (or close);
     * after a failed step it pauses {@code pauseAfterFailure} so a persistent fault cannot spin.
     */
    public synchronized Loop loop(String name, Duration pauseAfterFailure, Step step) {
        Loop loop = new Loop(name, pauseAfterFailure, step);
        loops.add(loop);
        loop.thread = Thread.ofPlatform().daemon().name(name).start(loop::run);
        return loop;
    }

    /** Cancels every periodic task and waits for runs in progress; dedicated loops go on. */
    public void stopTicks() {
        List<Periodic> all;
        synchronized (this) {
            all = List.copyOf(periodic);
        }
        all.forEach(Periodic::cancel);
    }

    /** Stops everything: periodic tasks (waiting for runs in progress), then the loops still running. */
    @Override
    public void close() {
        stopTicks();
        scheduler.shutdownNow();
        List<Loop> all;
        synchronized (this) {
            all = List.copyOf(loops);
        }
        all.reversed().forEach(Loop::stop);
    }

    /** A registered periodic task. */
    public static final class Periodic {
        private final String name;
        private final Tick tick;
        private final FailureLog failures;
        private final ReentrantLock running = new ReentrantLock();
        private volatile boolean cancelled;
        private volatile ScheduledFuture<?> future;

        private Periodic(String name, Tick tick) {
            this.name = name;
            this.tick = tick;
            this.failures = new FailureLog(name);
        }

        private void runOnce() {
            running.lock();
            try {
                if (!cancelled) {
                    tick.run();
                    failures.succeeded();
                }
            } catch (Throwable t) { // an Error too: the timer must outlive one bad tick
                failures.failed(t);
            } finally {
                running.unlock();
            }
        }

        /** Stops further runs and returns once a run in progress has ended. */
        public void cancel() {
            cancelled = true;
            future.cancel(false);
            running.lock(); // waits for the current run, if any
            running.unlock();
        }

        @Override
        public String toString() {
            return "periodic task " + name;
        }
    }

    /** A dedicated thread running one step after another. */
    public static final class Loop {
        private final String name;
        private final Duration pauseAfterFailure;
        private final Step step;
        private final FailureLog failures;
        private volatile boolean stopping;
        private volatile Thread thread;

        private Loop(String name, Duration pauseAfterFailure, Step step) {
            this.name = name;
            this.pauseAfterFailure = pauseAfterFailure;
            this.step = step;
            this.failures = new FailureLog(name);
        }

        private void run() {
            while (!stopping) {
                try {
                    step.run();
                    failures.succeeded();
                } catch (InterruptedException e) {
                    // stop() interrupts; anything else that interrupts only ends this step
                } catch (Throwable t) {
                    failures.failed(t);
                    pause();
                }
            }
        }

        private void pause() {
            try {
                Thread.sleep(pauseAfterFailure);
            } catch (InterruptedException e) {
                // stopping
            }
        }

        /** True once {@link #stop} was called: a step that waits in a loop of its own should return. */
        public boolean stopping() {
            return stopping;
        }

        /** Interrupts the step in progress and waits (up to 10 s) for the thread to end. */
        public void stop() {
            stopping = true;
            if (thread != Thread.currentThread()) {
                thread.interrupt();
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public String toString() {
            return "loop " + name;
        }
    }
}
