-- One row per upstream call (failed attempts included), written in batches off the request path.
CREATE TABLE usage_records (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at        INTEGER NOT NULL,
    route             TEXT    NOT NULL,
    key_id            TEXT    NOT NULL,
    user_id           TEXT,
    group_id          TEXT,
    conversation_id   TEXT,
    channel_id        TEXT    NOT NULL,
    channel           TEXT    NOT NULL,
    model             TEXT    NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    estimated         INTEGER NOT NULL,
    latency_ms        INTEGER NOT NULL,
    ttft_ms           INTEGER,
    outcome           TEXT    NOT NULL,
    error             TEXT
);
CREATE INDEX usage_by_time ON usage_records (created_at);
CREATE INDEX usage_by_user ON usage_records (user_id, created_at);
