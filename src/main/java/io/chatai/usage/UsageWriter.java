package io.chatai.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes usage records off the request path: a request only offers its record to a bounded queue
 * (never waiting), and one background thread inserts them in batches. When the database cannot keep
 * up, records beyond the queue are dropped and counted rather than slowing chats down. Records still
 * queued when the process is killed are lost; a graceful stop flushes them. Thread-safe.
 */
public final class UsageWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);
    private static final int CAPACITY = 50_000;
    private static final int BATCH = 500;

    private final UsageRepository repository;
    private final BlockingQueue<UsageRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;

    public UsageWriter(UsageRepository repository) {
        this.repository = repository;
        this.worker = Thread.ofPlatform().daemon().name("usage-writer").start(this::run);
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

    private void run() {
        List<UsageRecord> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                UsageRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                repository.insert(batch);
                written.addAndGet(batch.size());
            } catch (InterruptedException e) {
                running = false;
            } catch (RuntimeException e) {
                LOG.error("Could not write {} usage records; they are lost", batch.size(), e);
                written.addAndGet(batch.size());
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public void close() {
        flush(Duration.ofSeconds(5));
        running = false;
        worker.interrupt();
    }
}
