-- Retention deletes stored responses that nothing continues (no row names them as previous_id): this index
-- keeps that check one lookup per row instead of a scan of the table.
CREATE INDEX responses_by_previous ON responses (previous_id);
