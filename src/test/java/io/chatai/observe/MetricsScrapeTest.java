package io.chatai.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a Prometheus scrape costs the heap when a request's virtual thread asks for it; no network. */
class MetricsScrapeTest {
    private static final String[] ROUTES = {"/api/chat", "/api/chat/stream", "/v1/chat/completions", "/v1/messages",
        "/v1/responses", "/v1/models", "/api/conversations"};

    @Test
    void should_make_little_more_garbage_than_its_text_when_scraped_from_a_virtual_thread() throws Exception {
        try (Metrics metrics = new Metrics()) {
            for (String route : ROUTES) { // a server some minutes in: a latency histogram per route and status
                metrics.httpRequest(route, "POST", 200, 1_500_000);
                metrics.httpRequest(route, "POST", 400, 300_000);
            }
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            AtomicReference<String> text = new AtomicReference<>();
            AtomicLong allocated = new AtomicLong();
            int scrapes = 20;
            Thread request = Thread.ofVirtual().start(() -> {
                text.set(metrics.scrape()); // warm: the classes loaded, the thread started
                long before = threads.getTotalThreadAllocatedBytes(); // every thread's: the scrape may run on another
                for (int i = 0; i < scrapes; i++) {
                    text.set(metrics.scrape());
                }
                allocated.set(threads.getTotalThreadAllocatedBytes() - before);
            });
            request.join();

            long perScrape = allocated.get() / scrapes;
            assertThat(text.get()).contains("chatai_http_requests_seconds_bucket");
            // The snapshots, a byte buffer that doubles and the String come to about 8 times the text (measured). A
            // BufferedWriter made on the virtual thread, growing a few chars at a time, made 140 times.
            assertThat(perScrape).as("bytes allocated per scrape of %,d chars", text.get().length())
                    .isLessThan(30L * text.get().length());
        }
    }
}
