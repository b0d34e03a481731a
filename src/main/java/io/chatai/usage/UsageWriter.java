package io.chatai.usage;

import io.chatai.core.Background;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes usage records off the request path: a request only offers its record to a bounded queue
 * (never waiting), and a periodic task of the server's {@link Background} inserts them in batches. When
 * the database cannot keep up, records beyond the queue are dropped and counted rather than slowing
 * chats down; a batch the database refuses is lost, logged, and the next one is written. Records still
 * queued when the process is killed are lost; a graceful stop writes them. Thread-safe.
 */
public final class UsageWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);
    private static final int CAPACITY = 50_000;
    private static final int BATCH = 500;
    /** How long a record may wait in the queue: batches grow with traffic, and nobody waits on them. */
    static final Duration PERIOD = Duration.ofMillis(50);

    /** Where the batches go ({@link UsageRepository#insert}). */
    @FunctionalInterface
    public interface Sink {
        void insert(List<UsageRecord> batch);
    }

    private final Sink sink;
    private final BlockingQueue<UsageRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private Background.Periodic writes;

    public UsageWriter(Sink sink) {
        this.sink = sink;
    }

    /** Starts writing what is queued, every {@link #PERIOD}. */
    public void start(Background background) {
        writes = background.every("usage-writer", PERIOD, this::drain);
    }

    /** Queues a record; never blocks. */
    public void record(UsageRecord record) {
        offered.incrementAndGet();
        if (!queue.offer(record)) {
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warn("Usage queue full ({} records): {} usage records dropped so far; the database is too slow", CAPACITY, dropped.get());
            }
        }
    }

    /** Waits until every record offered before this call is written (for tests and shutdown). */
    public void flush(Duration timeout) {
        long target = offered.get() - dropped.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (written.get() < target && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Writes everything queued, batch by batch; a refused batch is counted as handled and reported. */
    void drain() {
        List<UsageRecord> batch = new ArrayList<>(BATCH);
        while (queue.drainTo(batch, BATCH) > 0) {
            try {
                sink.insert(batch);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Could not write " + batch.size() + " usage records; they are lost", e);
            } finally {
                written.addAndGet(batch.size()); // handled either way, so flush() never waits for them
                batch.clear();
            }
        }
    }

    /** Stops the periodic writes and writes what is still queued. */
    @Override
    public void close() {
        if (writes != null) {
            writes.cancel();
        }
        try {
            drain();
        } catch (RuntimeException | Error e) {
            LOG.error("Usage records still queued at shutdown could not all be written", e);
        }
    }
}
