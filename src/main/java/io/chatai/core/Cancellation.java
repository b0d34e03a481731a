package io.chatai.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets another thread abort a running upstream call, e.g. when the client of a stream has left while
 * the upstream is silent. Actions registered after {@link #cancel()} run at once. Thread-safe.
 */
public final class Cancellation {
    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;

    /** Registers what aborts the call (typically closing its connection). */
    public void onCancel(Runnable action) {
        boolean runNow;
        synchronized (this) {
            runNow = cancelled;
            if (!runNow) {
                actions.add(action);
            }
        }
        if (runNow) {
            action.run();
        }
    }

    /** Forgets a registered action once its call has ended, so a later cancel does not touch a reused connection. */
    public synchronized void forget(Runnable action) {
        actions.remove(action);
    }

    public void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /**
     * Makes a cancel interrupt the current (virtual) thread until the returned registration is closed.
     * An interrupt aborts a blocked socket read or connect at once, in whatever phase the call is.
     * Closing the registration also clears a pending interrupt so it cannot leak into later work.
     */
    public Registration interruptCurrentThread() {
        Registration registration = new Registration(Thread.currentThread());
        onCancel(registration.action);
        return registration;
    }

    /** An active interrupt-on-cancel; see {@link #interruptCurrentThread()}. */
    public final class Registration implements AutoCloseable {
        private final Thread thread;
        private final Runnable action = this::interrupt;
        private boolean active = true;

        private Registration(Thread thread) {
            this.thread = thread;
        }

        private synchronized void interrupt() {
            if (active) {
                thread.interrupt();
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                active = false;
            }
            forget(action);
            Thread.interrupted();
        }
    }
}
