-- Client keys: only the SHA-256 of a key is stored; the key itself is shown once, at creation.
-- Revoked keys stay (revoked_at set) so usage records keep a name to point to.
CREATE TABLE api_keys (
    id                    TEXT PRIMARY KEY,
    name                  TEXT    NOT NULL,
    key_hash              TEXT    NOT NULL UNIQUE,
    user_id               TEXT,
    rate_limit_per_minute BIGINT,
    created_at            BIGINT NOT NULL,
    revoked_at            BIGINT
);

-- Web panel sessions: the hash of the session id, so a stolen database holds no usable cookie.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
