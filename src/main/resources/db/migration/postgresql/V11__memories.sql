-- Long-term memory (memory.md): one row per remembered fact of one scope. user_id is '' for a group's
-- shared memories and group_id is '' for a user's own, so the scope index serves equality. The embedding
-- is the model's float32 vector, little-endian, as bytes; retrieval scans one scope's rows (a few
-- thousand at most in practice) and ranks them by cosine in the server. embedding_model names the model
-- that made it: vectors of another model are never compared with it.
CREATE TABLE memories (
    id              TEXT    PRIMARY KEY,
    user_id         TEXT    NOT NULL,
    group_id        TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    normalized      TEXT    NOT NULL,
    embedding       BYTEA,
    embedding_model TEXT,
    source          TEXT    NOT NULL,
    conversation_id TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX memories_by_scope ON memories (user_id, group_id, updated_at DESC, id DESC);
CREATE INDEX memories_by_group ON memories (group_id, updated_at DESC, id DESC);

-- A preset's memory settings (a JSON object {"enabled", "scope", "extractModel", "maxTokens"}, NULL when
-- off) and its context ('group' shares one conversation per group; NULL keeps per-user conversations).
ALTER TABLE presets ADD COLUMN memory TEXT;
ALTER TABLE presets ADD COLUMN context TEXT;
