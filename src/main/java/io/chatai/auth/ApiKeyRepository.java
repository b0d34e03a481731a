package io.chatai.auth;

import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Stores client keys by the SHA-256 of their secret. Thread-safe. */
public final class ApiKeyRepository {
    private static final String COLUMNS = "id, name, user_id, rate_limit_per_minute, created_at";

    private final Database database;

    public ApiKeyRepository(Database database) {
        this.database = database;
    }

    public void insert(ApiKey key, String keyHash) {
        database.updateConfig(sql -> sql.update("INSERT INTO api_keys (id, name, key_hash, user_id, rate_limit_per_minute, "
                        + "created_at) VALUES (:id, :name, :keyHash, :userId, :rateLimitPerMinute, :createdAt)")
                .bindFields(key)
                .bind("keyHash", keyHash)
                .execute());
    }

    /** The active key with this hash; revoked keys are not found. */
    public Optional<ApiKey> findActiveByHash(String keyHash) {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM api_keys "
                        + "WHERE key_hash = :hash AND revoked_at IS NULL")
                .bind("hash", keyHash)
                .findOne(ApiKeyRepository::map));
    }

    /** Active keys, oldest first. */
    public List<ApiKey> listActive() {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM api_keys WHERE revoked_at IS NULL "
                        + "ORDER BY created_at, id")
                .list(ApiKeyRepository::map));
    }

    /** Revokes an active key; false when there is none with this id. */
    public boolean revoke(String id, long now) {
        return database.writeConfig(sql -> sql.update("UPDATE api_keys SET revoked_at = :now "
                + "WHERE id = :id AND revoked_at IS NULL").bind("id", id).bind("now", now).execute() == 1);
    }

    private static ApiKey map(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("user_id"),
                RowMapper.nullableInt(rs, "rate_limit_per_minute"), rs.getLong("created_at"));
    }
}
