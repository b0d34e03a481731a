package io.chatai.observe;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs Prometheus scrapes on one platform thread, whatever thread asks. Thread-safe.
 *
 * <p>Why: the Prometheus text writer wraps its output in {@code new BufferedWriter(...)}, and since JDK 21 a
 * BufferedWriter made on a virtual thread starts at 512 chars and grows to 8192 by exactly what each write
 * needs, copying the whole buffer every time. The writer's writes are a few chars each, so one scrape of
 * 115 KB of text made 18 MB of garbage on a request's virtual thread (async-profiler, allocation mode); on a
 * platform thread the buffer starts at its full size and a scrape makes about what it writes.
 */
final class ScrapeThread implements AutoCloseable {
    /** Scrapes that may wait for the thread; past that a request scrapes on its own thread, as before. */
    private static final int WAITING = 8;

    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(WAITING), Thread.ofPlatform().name("chatai-metrics-scrape").daemon().factory());

    String scrape(Supplier<String> scrape) {
        if (!Thread.currentThread().isVirtual()) {
            return scrape.get();
        }
        Future<String> result;
        try {
            result = thread.submit(scrape::get);
        } catch (RejectedExecutionException busy) {
            return scrape.get(); // more scrapes at once than any Prometheus sends: slower here, never refused
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(false); // the client left; a scrape holds nothing worth stopping midway
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the metrics were scraped", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
