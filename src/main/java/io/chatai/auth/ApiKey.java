package io.chatai.auth;

/**
 * A client key as stored: never the key itself, only its hash. Immutable.
 *
 * @param userId             the only user the key may act as, or null for a bot acting for many users
 * @param rateLimitPerMinute the key's own limit, or null for {@code CHATAI_RATE_LIMIT_PER_MINUTE}
 */
public record ApiKey(String id, String name, String userId, Integer rateLimitPerMinute, long createdAt) {

    public Caller caller() {
        return new Caller(id, false, userId, rateLimitPerMinute);
    }
}
