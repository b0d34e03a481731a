package io.chatai.ratelimit;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.auth.Caller;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The limits of the chat routes: one bucket per key ({@code CHATAI_RATE_LIMIT_PER_MINUTE} or the key's
 * own limit) and one per user ({@code CHATAI_USER_RATE_LIMIT_PER_MINUTE}); 0 disables either. Called
 * after authentication and validation; sets {@code X-RateLimit-Limit}/{@code X-RateLimit-Remaining} of the
 * tighter bucket and refuses with 429 and {@code Retry-After} when either is empty. Thread-safe.
 */
public final class ChatLimits {
    private final RateLimiter limiter;
    private final int keyPerMinute;
    private final int userPerMinute;

    public ChatLimits(RateLimiter limiter, int keyPerMinute, int userPerMinute) {
        this.limiter = limiter;
        this.keyPerMinute = keyPerMinute;
        this.userPerMinute = userPerMinute;
    }

    /**
     * Takes a token for the caller's key and for the user (null when the request names none), and reports the
     * rate-limit headers of the tighter bucket to {@code headers} (name, value), also when it refuses.
     */
    public void take(Caller caller, String userId, BiConsumer<String, String> headers) {
        int keyLimit = caller.rateLimitPerMinute() != null ? caller.rateLimitPerMinute() : keyPerMinute;
        RateLimiter.Decision tighter = null;
        if (keyLimit > 0) {
            tighter = check(limiter.take("key:" + caller.keyId(), keyLimit), headers, "key");
        }
        if (userPerMinute > 0 && userId != null) {
            RateLimiter.Decision user = check(limiter.take("user:" + userId, userPerMinute), headers, "user");
            if (tighter == null || user.remaining() < tighter.remaining()) {
                tighter = user;
            }
        }
        if (tighter != null) {
            report(headers, tighter);
        }
    }

    private static RateLimiter.Decision check(RateLimiter.Decision decision, BiConsumer<String, String> headers, String which) {
        if (!decision.allowed()) {
            report(headers, decision);
            long seconds = Math.max(1, (decision.retryAfterNanos() + 999_999_999L) / 1_000_000_000L);
            throw new ApiException(ErrorCode.RATE_LIMITED, "Rate limit of this " + which + " (" + decision.limit()
                    + " per minute) reached; retry in " + seconds + " s", Map.of("limit", decision.limit(), "scope", which),
                    (int) Math.min(seconds, Integer.MAX_VALUE));
        }
        return decision;
    }

    private static void report(BiConsumer<String, String> headers, RateLimiter.Decision decision) {
        headers.accept("X-RateLimit-Limit", String.valueOf(decision.limit()));
        headers.accept("X-RateLimit-Remaining", String.valueOf(decision.remaining()));
    }
}
