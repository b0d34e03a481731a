-- Grows with every change to channels or keys (kept in step with PostgreSQL, where other instances poll it).
CREATE TABLE config_version (
    id      INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 0);
