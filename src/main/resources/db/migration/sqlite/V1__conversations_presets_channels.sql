-- Presets: persona, system prompt, model and context budget. The built-in 'default' always exists.
CREATE TABLE presets (
    id                   TEXT PRIMARY KEY,
    name                 TEXT    NOT NULL,
    description          TEXT,
    system_prompt        TEXT    NOT NULL,
    model                TEXT,
    temperature          REAL,
    top_p                REAL,
    max_tokens           INTEGER,
    max_context_messages INTEGER NOT NULL,
    max_context_tokens   INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

INSERT INTO presets (id, name, description, system_prompt, model, temperature, top_p, max_tokens,
                     max_context_messages, max_context_tokens, created_at, updated_at)
VALUES ('default', 'Default assistant', 'General helper', 'You are a helpful assistant. Today is {{date}}.',
        'gpt-4o-mini', 0.7, NULL, 1024, 20, 8000,
        CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000);

-- Upstream channels. api_keys and headers hold JSON, encrypted ("enc:v1:...") when CHATAI_SECRET_KEY is set.
-- revision grows on every edit: keys taken out of rotation after a 401/403 come back with a new revision.
CREATE TABLE channels (
    id            TEXT PRIMARY KEY,
    name          TEXT    NOT NULL,
    type          TEXT    NOT NULL,
    base_url      TEXT,
    api_keys      TEXT    NOT NULL,
    models        TEXT    NOT NULL,
    model_mapping TEXT    NOT NULL,
    priority      INTEGER NOT NULL,
    weight        INTEGER NOT NULL,
    enabled       INTEGER NOT NULL,
    timeout_ms    INTEGER NOT NULL,
    headers       TEXT    NOT NULL,
    proxy         TEXT,
    model_path    TEXT,
    options       TEXT    NOT NULL,
    revision      INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- One conversation per row; group_id is '' for a private chat so that the scope index serves equality.
-- message_count and last_message are kept by each commit so that listing never touches messages.
CREATE TABLE conversations (
    id            TEXT PRIMARY KEY,
    user_id       TEXT    NOT NULL,
    group_id      TEXT    NOT NULL,
    preset_id     TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    message_count INTEGER NOT NULL,
    last_message  TEXT,
    next_seq      INTEGER NOT NULL
);
CREATE INDEX conversations_by_scope ON conversations (user_id, group_id, updated_at DESC, id DESC);
CREATE INDEX conversations_by_group ON conversations (group_id, updated_at DESC, id DESC);
CREATE INDEX conversations_by_recency ON conversations (updated_at DESC, id DESC);

-- One row per message, ordered by seq (never by time: two messages can share a millisecond).
CREATE TABLE messages (
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    role            TEXT    NOT NULL,
    content         TEXT    NOT NULL,
    tokens          INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

-- The stored result of each turn sent with a requestId, so that a retry returns it instead of calling again.
CREATE TABLE turn_requests (
    user_id           TEXT    NOT NULL,
    group_id          TEXT    NOT NULL,
    request_id        TEXT    NOT NULL,
    conversation_id   TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    response          TEXT    NOT NULL,
    model             TEXT,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    estimated         INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    PRIMARY KEY (user_id, group_id, request_id)
);
CREATE INDEX turn_requests_by_conversation ON turn_requests (conversation_id);
