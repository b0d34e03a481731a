-- Responses stored by POST /v1/responses (store: true), owned by the key that made them. A chain of responses
-- (previous_response_id) is read link by link, newest first: each row holds only its own new input and its answer.
-- input and output are JSON arrays of rich messages (MessageCodec); response is the response object as answered.
-- channel_id is the channel that answered by passing the request through to its own /responses (the upstream
-- holds that response too, so a continuation may pass through there again), null when the answer was translated.
-- chars is the length of the three texts, so reading a chain can stop at a bound before loading it.
CREATE TABLE responses (
    id          TEXT PRIMARY KEY,
    key_id      TEXT    NOT NULL,
    user_id     TEXT,
    previous_id TEXT,
    channel_id  TEXT,
    model       TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    input       TEXT    NOT NULL,
    output      TEXT    NOT NULL,
    response    TEXT    NOT NULL,
    chars       BIGINT  NOT NULL
);
CREATE INDEX responses_by_key ON responses (key_id, created_at);
CREATE INDEX responses_by_user ON responses (user_id);
