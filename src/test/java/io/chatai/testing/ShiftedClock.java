package io.chatai.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The real clock moved by an offset the test sets: it keeps ticking (streams and sessions behave as
 * live), yet data can be written "days ago". Thread-safe.
 */
public final class ShiftedClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    /** From now on, the time is the real time plus this offset (negative for the past). */
    public void shift(Duration offset) {
        this.offset = offset;
    }

    @Override
    public ZoneId getZone() {
        return ZoneId.systemDefault();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
