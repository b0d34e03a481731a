-- A channel's bound on a whole upstream call (timeout_ms bounds only the first byte and each gap).
ALTER TABLE channels ADD COLUMN total_timeout_ms BIGINT NOT NULL DEFAULT 600000;
