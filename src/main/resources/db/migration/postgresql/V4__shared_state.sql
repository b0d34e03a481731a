-- Turn ownership across instances: each turn (or clear/delete) takes a ticket; the lowest live ticket of a
-- conversation owns it. Owners' instances renew expires_at (a heartbeat); a dead instance's tickets expire
-- and the next ticket takes over. Times are the database's clock, so instances' clocks need not agree.
CREATE TABLE conversation_tickets (
    ticket          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id TEXT   NOT NULL,
    instance_id     TEXT   NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX conversation_tickets_queue ON conversation_tickets (conversation_id, ticket);
CREATE INDEX conversation_tickets_instance ON conversation_tickets (instance_id);

-- A scope's new conversation that has no committed turn yet; alive while it has a live ticket.
CREATE TABLE pending_conversations (
    user_id         TEXT NOT NULL,
    group_id        TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    PRIMARY KEY (user_id, group_id)
);

-- Bucket4j's token buckets, shared by every instance (its PostgreSQL "select for update" layout).
CREATE TABLE rate_limit_buckets (
    id         TEXT PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);

-- Grows with every change to channels or keys, so other instances notice within a poll interval.
CREATE TABLE config_version (
    id      INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 0);

-- Channel circuit breakers shared by every instance: one outage cools a channel for all of them, and
-- after the cooldown exactly one instance claims the probe (probe_until) until it reports back.
CREATE TABLE channel_breakers (
    channel_id    TEXT    PRIMARY KEY,
    failures      INTEGER NOT NULL,
    cooling_until BIGINT  NOT NULL,
    probe_until   BIGINT  NOT NULL
);
