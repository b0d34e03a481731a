-- Images users sent with their messages, stored once per content (id = the SHA-256 of the bytes), so
-- history keeps working after the chat platform's link has expired. caption is what a caption model
-- wrote for these bytes (for text-only models), kept so that no image is described twice.
CREATE TABLE images (
    id         TEXT    PRIMARY KEY,
    mime_type  TEXT    NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    size       INTEGER NOT NULL,
    data       BYTEA   NOT NULL,
    caption    TEXT,
    created_at BIGINT    NOT NULL
);

-- Which message holds which image, in the message's order. A message's parts refer to the image by id
-- instead of embedding its bytes; an image goes when the last message that uses it goes.
CREATE TABLE message_images (
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             BIGINT    NOT NULL,
    position        INTEGER NOT NULL,
    image_id        TEXT    NOT NULL REFERENCES images (id),
    PRIMARY KEY (conversation_id, seq, position)
);
CREATE INDEX message_images_by_image ON message_images (image_id);

-- Reasoning and images per preset: how hard the model thinks, and what a text-only model does with images.
ALTER TABLE presets ADD COLUMN reasoning_effort TEXT;
ALTER TABLE presets ADD COLUMN image_mode TEXT;
ALTER TABLE presets ADD COLUMN caption_model TEXT;

-- Models of a channel that take no images (JSON array of names or prefix* patterns); NULL for none.
ALTER TABLE channels ADD COLUMN text_only_models TEXT;
