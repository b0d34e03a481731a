package io.chatai.auth;

import io.chatai.core.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(ApiKey key, long loadedAtNanos) { }

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
        Cached cached = cache.get(hash);
        if (cached != null && System.nanoTime() - cached.loadedAtNanos() < CACHE_TTL.toNanos()) {
            return Optional.of(cached.key().caller());
        }
        // The lookup goes by the hash, so timing can reveal at most how a hash compares, never the key.
        Optional<ApiKey> key = keys.findActiveByHash(hash);
        if (key.isPresent()) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear(); // crude but bounded; entries are cheap to reload
            }
            cache.put(hash, new Cached(key.get(), System.nanoTime()));
        } else {
            cache.remove(hash);
        }
        return key.map(ApiKey::caller);
    }

    /** Forgets every cached key: another instance changed keys. */
    public void forgetAll() {
        cache.clear();
    }

    /** Forgets a revoked key at once. */
    public void revoked(String keyId) {
        cache.values().removeIf(c -> c.key().id().equals(keyId));
    }
}
