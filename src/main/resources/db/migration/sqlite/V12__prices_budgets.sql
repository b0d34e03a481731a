-- Spend control (issue 19): the price table, the cost of every usage record, budgets and what they hold.

-- The operator's prices per model pattern, in matching order (the first pattern that matches wins).
CREATE TABLE prices (
    position              INTEGER PRIMARY KEY,
    model                 TEXT    NOT NULL,
    input_per_mtok        REAL    NOT NULL,
    output_per_mtok       REAL    NOT NULL,
    cached_input_per_mtok REAL
);

-- What each call cost at the prices of its time, in nano-units; NULL when no price matched (and for older rows).
ALTER TABLE usage_records ADD COLUMN cost_nanos INTEGER;
-- A budget's first use in a period sums its subject's usage so far: by key and by group too, not only by user.
CREATE INDEX usage_by_key ON usage_records (key_id, created_at);
CREATE INDEX usage_by_group ON usage_records (group_id, created_at);

-- Limits per key, user or group (subject '*': each subject its own), per UTC day or month.
CREATE TABLE budgets (
    id             TEXT    PRIMARY KEY,
    scope          TEXT    NOT NULL,
    subject        TEXT    NOT NULL,
    period         TEXT    NOT NULL,
    max_tokens     INTEGER,
    max_cost_nanos INTEGER,
    message        TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

-- What each budget's subject spent in a period (settled calls), one row per budget, subject and period.
CREATE TABLE budget_spend (
    budget_id    TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    period_start INTEGER NOT NULL,
    tokens       INTEGER NOT NULL,
    cost_nanos   INTEGER NOT NULL,
    PRIMARY KEY (budget_id, subject, period_start)
);

-- The worst case of each call in flight, held against its budgets until it settles or its instance's lease expires.
CREATE TABLE budget_reservations (
    hold_id      TEXT    NOT NULL,
    budget_id    TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    period_start INTEGER NOT NULL,
    tokens       INTEGER NOT NULL,
    cost_nanos   INTEGER NOT NULL,
    instance_id  TEXT    NOT NULL,
    expires_at   INTEGER NOT NULL,
    PRIMARY KEY (hold_id, budget_id)
);
CREATE INDEX budget_reservations_counter ON budget_reservations (budget_id, subject, period_start);
CREATE INDEX budget_reservations_instance ON budget_reservations (instance_id);
