package io.chatai.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chatai.core.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * Maps a presented bearer key to a {@link Caller}: the admin key, or an active client key looked up by
 * the SHA-256 of what was presented. Digests are compared in constant time. Found client keys are
 * cached for a few seconds so a busy bot costs no database read per request; a revocation through this
 * instance drops its entry at once. Thread-safe.
 */
public final class Authenticator {
    /** How long another instance's revocation may take to reach this one. */
    static final Duration CACHE_TTL = Duration.ofSeconds(3);
    private static final int MAX_CACHED = 10_000;

    private final byte[] adminDigest;
    private final ApiKeyRepository keys;
    /**
     * Found keys by the hash presented; unknown hashes are never cached, so guessing cannot fill it. A
     * key is looked up outside the cache's lock (a slow read blocks no other caller).
     */
    private final Cache<String, ApiKey> cache = Caffeine.newBuilder()
            .executor(Runnable::run) // upkeep on the caller: no pool thread woken on the request path
            .maximumSize(MAX_CACHED)
            .expireAfterWrite(CACHE_TTL)
            .build();

    public Authenticator(String adminKey, ApiKeyRepository keys) {
        this.adminDigest = Secrets.sha256(adminKey).getBytes(StandardCharsets.US_ASCII);
        this.keys = keys;
    }

    public Optional<Caller> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 512) {
            return Optional.empty();
        }
        String hash = Secrets.sha256(presentedKey);
        if (MessageDigest.isEqual(adminDigest, hash.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(Caller.administrator());
        }
        ApiKey cached = cache.getIfPresent(hash);
        if (cached != null) {
            return Optional.of(cached.caller());
        }
        // The lookup goes by the hash, so timing can reveal at most how a hash compares, never the key.
        Optional<ApiKey> key = keys.findActiveByHash(hash);
        key.ifPresent(found -> cache.put(hash, found));
        return key.map(ApiKey::caller);
    }

    /** Forgets every cached key: another instance changed keys. */
    public void forgetAll() {
        cache.invalidateAll();
    }

    /** Forgets a revoked key at once. */
    public void revoked(String keyId) {
        cache.asMap().values().removeIf(key -> key.id().equals(keyId));
    }
}
