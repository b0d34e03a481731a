package io.chatai.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Token buckets in PostgreSQL, shared by every instance on the database (Bucket4j's "select for update"
 * proxy): each take is one short transaction that locks the bucket's row, so N instances never
 * multiply a limit by N and a limit stays exact under concurrency. A bucket's row expires once it would
 * be full again, and expired rows are swept now and then. Thread-safe.
 */
public final class ClusterRateLimiter implements RateLimiter {
    private static final int SWEEP_EVERY = 4096;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private long takes;

    public ClusterRateLimiter(DataSource dataSource) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
    }

    @Override
    public Decision take(String name, int perMinute) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .build();
        ConsumptionProbe probe = buckets.builder().build(name + "@" + perMinute, () -> configuration)
                .tryConsumeAndReturnRemaining(1);
        if (countTake() % SWEEP_EVERY == 0) {
            buckets.removeExpired(1000);
        }
        return new Decision(probe.isConsumed(), perMinute, probe.getRemainingTokens(),
                probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill());
    }

    private synchronized long countTake() {
        return ++takes;
    }
}
