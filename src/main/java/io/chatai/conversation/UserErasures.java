package io.chatai.conversation;

import io.chatai.store.Database;
import io.chatai.store.Dialect;
import io.chatai.store.RowMapper;
import io.chatai.store.Sql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The fence between erasing a user's data and the work that was already running for that user: an erasure is
 * recorded (under the user's pseudonym, never the id) before anything is deleted, and every write of a turn,
 * an observed message or an extracted memory checks, in its own transaction, that no erasure came after the
 * work began; so a turn in flight during an erase cannot re-create what the erase removed. On SQLite the one
 * writer serializes the check with the erase; on PostgreSQL the erase takes the user's advisory lock
 * exclusively and each checked write shares it. Thread-safe (stateless over the database).
 */
public final class UserErasures {
    /** Longer than any turn or extraction may run: older records can no longer fence anything. */
    static final Duration KEPT = Duration.ofDays(1);

    private final Database database;

    public UserErasures(Database database) {
        this.database = database;
    }

    /** Records, in its own committed transaction, that the user's data is erased as of {@code now}. */
    public void record(String userId, long now) {
        database.update(sql -> {
            sql.update("DELETE FROM user_erasures WHERE erased_at < :old").bind("old", now - KEPT.toMillis()).execute();
            sql.update("INSERT INTO user_erasures (user_key, erased_at) VALUES (:key, :now) "
                    + "ON CONFLICT (user_key) DO UPDATE SET erased_at = excluded.erased_at")
                    .bind("key", pseudonym(userId)).bind("now", now).execute();
        });
    }

    /** In the erase's transaction, first: waits for the user's checked writes in flight (PostgreSQL). */
    public void lockForErase(Sql sql, String userId) {
        if (database.dialect() == Dialect.POSTGRESQL) {
            sql.query("SELECT pg_advisory_xact_lock(hashtextextended(:key, 18))").bind("key", pseudonym(userId))
                    .one(RowMapper.STRING);
        }
    }

    /** In a write's transaction: true when the user's data was erased at or after {@code since} (the write must not happen). */
    public boolean erasedSince(Sql sql, String userId, long since) {
        if (database.dialect() == Dialect.POSTGRESQL) {
            sql.query("SELECT pg_advisory_xact_lock_shared(hashtextextended(:key, 18))").bind("key", pseudonym(userId))
                    .one(RowMapper.STRING);
        }
        return sql.query("SELECT COUNT(*) FROM user_erasures WHERE user_key = :key AND erased_at >= :since")
                .bind("key", pseudonym(userId)).bind("since", since).one(RowMapper.INT) > 0;
    }

    /** What stands for an erased user's id: {@code sha256:} and 32 hex digits of its hash (stable, not reversible). */
    public static String pseudonym(String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
