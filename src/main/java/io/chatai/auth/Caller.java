package io.chatai.auth;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;

/**
 * Who is calling: the admin, or a client key that may be bound to one user. Every permission check
 * of the server is a method here, so the rules can be read in one place. Immutable.
 *
 * @param keyId       id of the client key, or "admin"
 * @param admin       true for the admin key (or an admin session)
 * @param boundUserId the only user a bound client key may act as and see, or null
 * @param rateLimitPerMinute the key's own per-minute limit, or null for the server default
 */
public record Caller(String keyId, boolean admin, String boundUserId, Integer rateLimitPerMinute) {
    public static final String ADMIN_ID = "admin";

    public static Caller administrator() {
        return new Caller(ADMIN_ID, true, null, null);
    }

    /** Admin-only operations: channels, preset writes, keys, tool servers. */
    public void requireAdmin() {
        if (!admin) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This operation needs the admin key");
        }
    }

    /** Chatting as a user: a bound key may only be its own user. */
    public void requireMayActAs(String userId) {
        if (boundUserId != null && !boundUserId.equals(userId)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This key may only act as its own user");
        }
    }

    /** Whether a conversation or usage record of this user is visible; invisible ones answer 404. */
    public boolean canSee(String userId) {
        return boundUserId == null || boundUserId.equals(userId);
    }
}
