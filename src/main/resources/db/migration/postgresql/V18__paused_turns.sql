-- Issue 15 point 5: a turn paused on the bot's own tools (client tools). The row is the turn's whole state, so
-- any instance sharing this database can continue it: its owner (key and user), its conversation, the token of
-- its hold on the conversation, when it is abandoned, and the loop's state (messages as MessageCodec JSON, model,
-- round, the calls waiting for results) in one JSON document. The row is deleted when the turn continues or expires.
CREATE TABLE paused_turns (
    turn_id         TEXT    PRIMARY KEY,
    conversation_id TEXT    NOT NULL,
    key_id          TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    lock_token      TEXT    NOT NULL,
    expires_at      BIGINT NOT NULL,
    state           TEXT    NOT NULL
);
CREATE INDEX paused_turns_by_expiry ON paused_turns (expires_at);
