-- Group context (memory.md): who said each message of a group conversation, so the model sees
-- "[userName(userId)]: text" and an erasure finds that user's messages. NULL elsewhere: a per-user
-- conversation's messages are its user's, and replies are the bot's. The partial index holds only the
-- group conversations' user messages.
ALTER TABLE messages ADD COLUMN user_id TEXT;
ALTER TABLE messages ADD COLUMN user_name TEXT;
CREATE INDEX messages_by_user ON messages (user_id) WHERE user_id IS NOT NULL;

-- Users whose data was erased, under a pseudonym (sha256: and 32 hex digits), and when: a turn or an
-- extraction that began before that time writes nothing (conversation.UserErasures). Kept one day.
CREATE TABLE user_erasures (
    user_key  TEXT   PRIMARY KEY,
    erased_at INTEGER NOT NULL
);
