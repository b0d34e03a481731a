package io.chatai.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Hands log events to the attached appenders on one worker thread, in batches, without a wake-up per
 * event: while events keep coming the worker drains the queue every {@code periodMillis}; after a quiet
 * second it parks and the next event wakes it. Why: logback's {@code AsyncAppender} worker waits in
 * {@code take()}, so at one request at a time every access-log line woke it (a futex call on the request's
 * thread, a context switch on a 2-core machine): ~10 % of a relayed request's CPU in the profile. Like
 * that appender it never blocks a logging thread: a full queue drops the event (counted, reported on the
 * next line that gets through). A {@link StdoutAppender} it feeds is flushed once per batch rather than
 * once per line. Thread-safe.
 */
public final class BatchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> implements AppenderAttachable<ILoggingEvent> {
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private final AtomicLong dropped = new AtomicLong();
    private int queueSize = 8192;
    private int periodMillis = 20;
    private ArrayBlockingQueue<ILoggingEvent> queue;
    private volatile boolean parked;
    private volatile boolean stopping;
    private Thread worker;

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public void setPeriodMillis(int periodMillis) {
        this.periodMillis = periodMillis;
    }

    @Override
    public void start() {
        if (queueSize < 1 || periodMillis < 1) {
            addError("queueSize and periodMillis must be at least 1, got " + queueSize + " and " + periodMillis);
            return;
        }
        forEachStdout(stdout -> stdout.setImmediateFlush(false)); // write() flushes once per batch instead
        queue = new ArrayBlockingQueue<>(queueSize);
        stopping = false;
        worker = Thread.ofPlatform().daemon().name("log-writer-" + getName()).start(this::work);
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing(); // thread name, MDC and message, as the logging thread saw them
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
            return;
        }
        if (parked) {
            LockSupport.unpark(worker);
        }
    }

    private void work() {
        List<ILoggingEvent> batch = new ArrayList<>();
        long lastEvent = System.nanoTime();
        while (true) {
            boolean last = stopping; // read before draining, so nothing queued before stop() is left behind
            if (queue.drainTo(batch) > 0) {
                lastEvent = System.nanoTime();
                write(batch);
                continue;
            }
            if (last) {
                return;
            }
            if (System.nanoTime() - lastEvent < QUIET_NANOS) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(periodMillis));
                continue;
            }
            parked = true;
            if (queue.isEmpty() && !stopping) { // an event offered before parked was set is seen here
                LockSupport.park(this);
            }
            parked = false;
            lastEvent = System.nanoTime();
        }
    }

    private void write(List<ILoggingEvent> batch) {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            addWarn(lost + " log events dropped: the log queue (" + queueSize + ") was full");
        }
        for (ILoggingEvent event : batch) {
            appenders.appendLoopOnAppenders(event);
        }
        batch.clear();
        forEachStdout(StdoutAppender::flush);
    }

    private void forEachStdout(Consumer<StdoutAppender> action) {
        appenders.iteratorForAppenders().forEachRemaining(appender -> {
            if (appender instanceof StdoutAppender stdout) {
                action.accept(stdout);
            }
        });
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        stopping = true;
        LockSupport.unpark(worker);
        try {
            worker.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
