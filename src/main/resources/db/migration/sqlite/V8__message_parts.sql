-- What a message holds beyond its text (reasoning with its provider state, tool calls, images), as a
-- MessageCodec parts document {"v":1,"parts":[...]}. NULL when the message is exactly its text: rows
-- written before this column, and plain text messages, read as one text part from content. content
-- keeps the text for listings either way.
ALTER TABLE messages ADD COLUMN parts TEXT;
