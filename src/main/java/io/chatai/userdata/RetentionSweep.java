package io.chatai.userdata;

import io.chatai.core.Background;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code CHATAI_RETENTION_DAYS}: deletes conversations not updated for that many days, in batches of
 * {@value #BATCH} (one short transaction each, so SQLite's single writer and PostgreSQL's locks are held
 * briefly and turns interleave), every {@link #PERIOD}. Thread-safe; runs on its background task.
 */
public final class RetentionSweep {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweep.class);
    static final int BATCH = 200;
    /** Batches in one run; what is left waits for the next run, so one run never holds the task long. */
    static final int MAX_BATCHES = 50;
    static final Duration PERIOD = Duration.ofMinutes(1);

    private final UserDataRepository data;
    private final Clock clock;
    private final Duration retention;

    public RetentionSweep(UserDataRepository data, Clock clock, int days) {
        this.data = data;
        this.clock = clock;
        this.retention = Duration.ofDays(days);
    }

    public void start(Background background) {
        background.every("retention-sweep", PERIOD, this::sweep);
    }

    /** One run: the number of conversations deleted. */
    public int sweep() {
        long cutoff = clock.millis() - retention.toMillis();
        int total = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            int deleted = data.deleteStale(cutoff, BATCH);
            total += deleted;
            if (deleted < BATCH) {
                break;
            }
        }
        if (total > 0) {
            LOG.info("Retention: deleted {} conversation(s) not updated for {} day(s)", total, retention.toDays());
        }
        int responses = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            int deleted = data.deleteStaleResponses(cutoff, BATCH);
            responses += deleted;
            if (deleted == 0) {
                break; // a batch short of BATCH may have made older links free to go: only none left ends it
            }
        }
        if (responses > 0) {
            LOG.info("Retention: deleted {} stored response(s) not continued for {} day(s)", responses, retention.toDays());
        }
        return total;
    }
}
