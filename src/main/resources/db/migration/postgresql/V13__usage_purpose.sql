-- What each upstream call produced: 'chat' (every call before embeddings existed) or 'embedding'.
ALTER TABLE usage_records ADD COLUMN purpose TEXT NOT NULL DEFAULT 'chat';
