-- Failures in a row no longer cool a channel at once (CHATAI_COOLDOWN_AFTER), so the breaker keeps the
-- count of failures apart from the count of cooldowns (the ladder's rung). Until now every failure was a
-- cooldown, so a stored breaker keeps its rung.
ALTER TABLE channel_breakers ADD COLUMN cooldowns INTEGER NOT NULL DEFAULT 0;
UPDATE channel_breakers SET cooldowns = failures;
