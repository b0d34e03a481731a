package io.chatai.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.Background;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Usage keeps being written after a batch failed, an Error included; a stop writes what is queued. */
class UsageWriterTest {

    @Test
    void should_write_later_records_after_a_batch_threw_an_error_and_a_runtime_exception() {
        AtomicInteger batches = new AtomicInteger();
        List<UsageRecord> stored = new CopyOnWriteArrayList<>();
        UsageWriter writer = new UsageWriter(batch -> {
            switch (batches.incrementAndGet()) {
                case 1 -> throw new OutOfMemoryError("Java heap space (simulated)");
                case 2 -> throw new IllegalStateException("database locked (simulated)");
                default -> stored.addAll(batch);
            }
        });
        try (Background background = new Background()) {
            writer.start(background);
            writer.record(record("lost-1"));
            writer.flush(Duration.ofSeconds(5));
            writer.record(record("lost-2"));
            writer.flush(Duration.ofSeconds(5));
            writer.record(record("kept"));
            writer.flush(Duration.ofSeconds(5));

            assertThat(stored).extracting(UsageRecord::userId).containsExactly("kept");
        }
        assertThat(batches.get()).isEqualTo(3);
    }

    @Test
    void should_write_what_is_still_queued_when_closed() {
        List<UsageRecord> stored = new CopyOnWriteArrayList<>();
        UsageWriter writer = new UsageWriter(stored::addAll);
        try (Background background = new Background()) {
            writer.start(background);
            for (int i = 0; i < 1_200; i++) {
                writer.record(record("u" + i));
            }
            writer.close();
        }
        assertThat(stored).hasSize(1_200);
    }

    private static UsageRecord record(String userId) {
        return new UsageRecord(1L, "chat", "key", userId, null, null, "ch", "channel", "model", 1, 1, false, 1, null, "ok", null);
    }
}
