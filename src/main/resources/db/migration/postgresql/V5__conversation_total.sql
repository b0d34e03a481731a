-- The number of all conversations, kept by the same transactions that create and delete them, so the
-- unfiltered listing's "total" needs no count over every row.
CREATE TABLE conversation_total (
    id    INTEGER PRIMARY KEY,
    total BIGINT  NOT NULL
);
INSERT INTO conversation_total (id, total) SELECT 1, COUNT(*) FROM conversations;
