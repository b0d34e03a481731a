-- Issue 15, the tool loop inside a turn.
-- A preset's tools: a JSON list of patterns (<server>.<tool> or <server>.*), NULL for a preset without tools (it
-- behaves exactly as before); how many tool rounds a turn may run; and the first round's tool choice.
ALTER TABLE presets ADD COLUMN tools TEXT;
ALTER TABLE presets ADD COLUMN max_tool_rounds INTEGER NOT NULL DEFAULT 8;
ALTER TABLE presets ADD COLUMN tool_choice TEXT NOT NULL DEFAULT 'auto';

-- Every model call of one turn carries the turn's id, so a tool turn's rounds can be read together. NULL for
-- calls made outside a chat turn (/v1, embeddings) and for rows written before this column.
ALTER TABLE usage_records ADD COLUMN turn_id TEXT;
CREATE INDEX usage_by_turn ON usage_records (turn_id);

-- One row per tool call a turn ran, written as soon as its round ends: a call already made stays recorded
-- even when its turn fails and commits nothing. result_bytes is the UTF-8 size of the text the model saw.
CREATE TABLE tool_executions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at      INTEGER NOT NULL,
    turn_id         TEXT    NOT NULL,
    key_id          TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    group_id        TEXT,
    conversation_id TEXT    NOT NULL,
    tool            TEXT    NOT NULL,
    duration_ms     INTEGER NOT NULL,
    success         INTEGER NOT NULL,
    result_bytes    INTEGER NOT NULL
);
CREATE INDEX tool_executions_by_time ON tool_executions (created_at);
CREATE INDEX tool_executions_by_turn ON tool_executions (turn_id);
