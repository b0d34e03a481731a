package io.chatai.ratelimit;

import io.chatai.ApiException;
import io.chatai.ErrorCode;
import io.chatai.auth.Caller;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

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

    /** Takes a token for the caller's key and for the user (null when the request names none). */
    public void take(Caller caller, String userId, ServerResponse res) {
        int keyLimit = caller.rateLimitPerMinute() != null ? caller.rateLimitPerMinute() : keyPerMinute;
        RateLimiter.Decision tighter = null;
        if (keyLimit > 0) {
            tighter = check(limiter.take("key:" + caller.keyId(), keyLimit), res, "key");
        }
        if (userPerMinute > 0 && userId != null) {
            RateLimiter.Decision user = check(limiter.take("user:" + userId, userPerMinute), res, "user");
            if (tighter == null || user.remaining() < tighter.remaining()) {
                tighter = user;
            }
        }
        if (tighter != null) {
            headers(res, tighter);
        }
    }

    private static RateLimiter.Decision check(RateLimiter.Decision decision, ServerResponse res, String which) {
        if (!decision.allowed()) {
            headers(res, decision);
            long seconds = Math.max(1, (decision.retryAfterNanos() + 999_999_999L) / 1_000_000_000L);
            throw new ApiException(ErrorCode.RATE_LIMITED, "Rate limit of this " + which + " (" + decision.limit()
                    + " per minute) reached; retry in " + seconds + " s", Map.of("limit", decision.limit(), "scope", which),
                    (int) Math.min(seconds, Integer.MAX_VALUE));
        }
        return decision;
    }

    private static void headers(ServerResponse res, RateLimiter.Decision decision) {
        res.header(HeaderNames.create("X-RateLimit-Limit"), String.valueOf(decision.limit()));
        res.header(HeaderNames.create("X-RateLimit-Remaining"), String.valueOf(decision.remaining()));
    }
}
