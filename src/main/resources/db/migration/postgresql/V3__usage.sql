-- One row per upstream call (failed attempts included), written in batches off the request path.
CREATE TABLE usage_records (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at        BIGINT  NOT NULL,
    route             TEXT    NOT NULL,
    key_id            TEXT    NOT NULL,
    user_id           TEXT,
    group_id          TEXT,
    conversation_id   TEXT,
    channel_id        TEXT    NOT NULL,
    channel           TEXT    NOT NULL,
    model             TEXT    NOT NULL,
    prompt_tokens     BIGINT  NOT NULL,
    completion_tokens BIGINT  NOT NULL,
    estimated         BOOLEAN NOT NULL,
    latency_ms        BIGINT  NOT NULL,
    ttft_ms           BIGINT,
    outcome           TEXT    NOT NULL,
    error             TEXT
);
CREATE INDEX usage_by_time ON usage_records (created_at);
CREATE INDEX usage_by_user ON usage_records (user_id, created_at);
