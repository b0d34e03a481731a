package io.chatai.auth;

import io.chatai.core.Secrets;
import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Web panel sessions. A cookie value is {@code id.expiresAt.signature}: the HMAC (keyed by the admin
 * key, so changing that key ends every session) rejects forged or altered cookies without a database
 * read, the expiry ends it on time, and the stored hash of the id lets logout end it at once on every
 * instance. Thread-safe.
 */
public final class Sessions {
    public static final String COOKIE = "chatai_session";
    public static final Duration LIFETIME = Duration.ofHours(12);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Database database;
    private final SecretKeySpec signingKey;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Sessions(Database database, String adminKey, Clock clock) {
        this.database = database;
        this.signingKey = new SecretKeySpec(Secrets.sha256("chatai-session-v1:" + adminKey).getBytes(StandardCharsets.US_ASCII), "HmacSHA256");
        this.clock = clock;
    }

    /** Opens a session and returns the cookie value. */
    public String open() {
        byte[] idBytes = new byte[32];
        random.nextBytes(idBytes);
        String id = B64.encodeToString(idBytes);
        long now = clock.millis();
        long expiresAt = now + LIFETIME.toMillis();
        database.update(sql -> sql.update("INSERT INTO sessions (id_hash, expires_at, created_at) VALUES (:hash, :expires, :now)")
                .bind("hash", Secrets.sha256(id)).bind("expires", expiresAt).bind("now", now).execute());
        String payload = id + "." + expiresAt;
        return payload + "." + sign(payload);
    }

    /** Whether the cookie value is a live session: well signed, not expired, not logged out. */
    public boolean isValid(String cookie) {
        String id = verifiedId(cookie);
        if (id == null) {
            return false;
        }
        return database.read(sql -> sql.query("SELECT COUNT(*) FROM sessions WHERE id_hash = :hash AND expires_at > :now")
                .bind("hash", Secrets.sha256(id)).bind("now", clock.millis()).one(RowMapper.INT)) > 0;
    }

    /** Ends the session (and sweeps expired ones while at it). */
    public void close(String cookie) {
        String id = verifiedId(cookie);
        database.update(sql -> {
            if (id != null) {
                sql.update("DELETE FROM sessions WHERE id_hash = :hash").bind("hash", Secrets.sha256(id)).execute();
            }
            sql.update("DELETE FROM sessions WHERE expires_at <= :now").bind("now", clock.millis()).execute();
        });
    }

    private String verifiedId(String cookie) {
        if (cookie == null || cookie.length() > 200) {
            return null;
        }
        int last = cookie.lastIndexOf('.');
        int first = cookie.indexOf('.');
        if (first <= 0 || last <= first) {
            return null;
        }
        String payload = cookie.substring(0, last);
        if (!MessageDigest.isEqual(sign(payload).getBytes(StandardCharsets.US_ASCII),
                cookie.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        try {
            long expiresAt = Long.parseLong(cookie.substring(first + 1, last));
            return expiresAt > clock.millis() ? cookie.substring(0, first) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(signingKey);
            return B64.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }
}
