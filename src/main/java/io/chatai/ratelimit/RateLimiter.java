package io.chatai.ratelimit;

/**
 * Token buckets by name: capacity = the per-minute limit, refilled continuously. A token taken is
 * never given back. Implementations are thread-safe and exact under concurrency.
 */
public interface RateLimiter {

    /** Takes one token from the named bucket, creating it full on first use. */
    Decision take(String bucket, int perMinute);

    /**
     * The outcome of one take.
     *
     * @param remaining       tokens left after this take (0 when refused)
     * @param retryAfterNanos how long until a token is available again (0 when allowed)
     */
    record Decision(boolean allowed, int limit, long remaining, long retryAfterNanos) {
    }
}
