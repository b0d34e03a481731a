-- Issue 20: fewer pages written per usage row. Nothing reads usage_records by turn_id (a turn's rows are read by
-- conversation or time, and tool_executions has its own turn index), yet turn ids are random, so every usage row
-- touched a random leaf of this index: one more page written to the log per upstream call under load. The
-- column stays; only its index goes.
DROP INDEX IF EXISTS usage_by_turn;
