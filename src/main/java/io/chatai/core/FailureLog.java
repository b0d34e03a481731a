package io.chatai.core;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failures of one background task, logged without flooding: the first failure of each kind (its
 * class, and its cause's) with its stack trace, later ones of that kind only counted, and one line when
 * the task succeeds again. A database that is down for an hour therefore costs a few log lines, not one
 * per second per task. Thread-safe.
 */
final class FailureLog {
    private static final Logger LOG = LoggerFactory.getLogger(Background.class);
    /** Kinds are exception classes, so few; past this many, new kinds share one entry. */
    private static final int MAX_KINDS = 32;

    private final String task;
    private final Map<String, Long> counts = new HashMap<>(); // guarded by this
    private volatile boolean failing; // lets a healthy task skip the lock

    FailureLog(String task) {
        this.task = task;
    }

    synchronized void failed(Throwable failure) {
        String kind = kind(failure);
        failing = true;
        if (!counts.containsKey(kind) && counts.size() >= MAX_KINDS) {
            kind = "other kinds";
        }
        if (counts.merge(kind, 1L, Long::sum) == 1L) {
            LOG.error("Background task {} failed ({}); it runs on, and further failures of this kind are only counted",
                    task, kind, failure);
        }
    }

    void succeeded() {
        if (failing) {
            recovered();
        }
    }

    private synchronized void recovered() {
        failing = false;
        if (!counts.isEmpty()) {
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            LOG.info("Background task {} works again after {} failure(s) of {}", task, total, counts.keySet());
            counts.clear();
        }
    }

    private static String kind(Throwable failure) {
        Throwable cause = failure.getCause();
        return cause == null || cause == failure ? failure.getClass().getName()
                : failure.getClass().getName() + " caused by " + cause.getClass().getName();
    }
}
