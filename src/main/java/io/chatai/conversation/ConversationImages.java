package io.chatai.conversation;

import io.chatai.core.message.ImageSource;
import io.chatai.image.StoredImage;
import io.chatai.store.RowMapper;
import io.chatai.store.Sql;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored images of conversations, inside the transactions of {@link ConversationRepository}: one row
 * per distinct content (its SHA-256 is its id), linked to the messages that hold it, loaded again when a
 * later turn sends the message upstream, and removed with the last message that uses it. Stateless.
 */
public final class ConversationImages {
    private ConversationImages() {
    }

    /** An image as a conversation shows it, without its bytes. Immutable. */
    public record Meta(long seq, int position, String id, String mimeType, int width, int height, String caption) { }

    /** An image's bytes and type, as its URL serves them. Immutable. */
    public record Bytes(String mimeType, byte[] data) { }

    /**
     * Writes the images of the user message at {@code seq} (once per content) and links them to it; the
     * answer maps each of the message's inline sources to the stored id that replaces its bytes.
     */
    static Map<ImageSource, String> store(Sql sql, String conversationId, long seq, List<StoredImage> images,
                                          List<ImageSource> sources, long now) {
        Map<ImageSource, String> ids = new IdentityHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            StoredImage image = images.get(i);
            sql.update("INSERT INTO images (id, mime_type, width, height, size, data, caption, created_at) "
                            + "VALUES (:id, :mimeType, :width, :height, :size, :data, :caption, :now) ON CONFLICT (id) DO NOTHING")
                    .bindFields(image)
                    .bind("size", image.bytes().length)
                    .bind("data", image.bytes())
                    .bind("now", now)
                    .execute();
            if (image.caption() != null) {
                sql.update("UPDATE images SET caption = :caption WHERE id = :id AND caption IS NULL")
                        .bind("caption", image.caption()).bind("id", image.id()).execute();
            }
            sql.update("INSERT INTO message_images (conversation_id, seq, position, image_id) "
                            + "VALUES (:conversationId, :seq, :position, :imageId)")
                    .bind("conversationId", conversationId).bind("seq", seq).bind("position", i)
                    .bind("imageId", image.id())
                    .execute();
            ids.put(sources.get(i), image.id());
        }
        return ids;
    }

    /** The conversation's images, in message and position order. */
    static List<Meta> list(Sql sql, String conversationId) {
        return sql.query("SELECT m.seq, m.position, i.id, i.mime_type, i.width, i.height, i.caption "
                        + "FROM message_images m JOIN images i ON i.id = m.image_id "
                        + "WHERE m.conversation_id = :id ORDER BY m.seq, m.position")
                .bind("id", conversationId)
                .list(rs -> new Meta(rs.getLong("seq"), rs.getInt("position"), rs.getString("id"),
                        rs.getString("mime_type"), rs.getInt("width"), rs.getInt("height"), rs.getString("caption")));
    }

    /** The image's bytes, if a message of this conversation holds it. */
    static Optional<Bytes> bytes(Sql sql, String conversationId, String imageId) {
        return sql.query("SELECT i.mime_type, i.data FROM images i WHERE i.id = :imageId AND EXISTS "
                        + "(SELECT 1 FROM message_images m WHERE m.conversation_id = :id AND m.image_id = i.id)")
                .bind("imageId", imageId)
                .bind("id", conversationId)
                .findOne(rs -> new Bytes(rs.getString("mime_type"), rs.getBytes("data")));
    }

    /** Loads stored images by id as inline sources, each once per read. Used by one read. */
    static final class Loader {
        private final Sql sql;
        private final Map<String, ImageSource> loaded = new HashMap<>();

        Loader(Sql sql) {
            this.sql = sql;
        }

        ImageSource resolve(String id, String mimeType) {
            return loaded.computeIfAbsent(id, key -> sql.query("SELECT data FROM images WHERE id = :id")
                    .bind("id", key)
                    .findOne(rs -> rs.getBytes("data"))
                    .map(data -> (ImageSource) new ImageSource.Inline(mimeType, Base64.getEncoder().encodeToString(data)))
                    .orElseThrow(() -> new IllegalArgumentException("image " + key + " is no longer stored")));
        }
    }

    /** The captions stored for these image ids (ids without one are absent). */
    static Map<String, String> captions(Sql sql, List<String> ids) {
        Map<String, String> captions = new HashMap<>();
        for (String id : ids) {
            sql.query("SELECT caption FROM images WHERE id = :id AND caption IS NOT NULL").bind("id", id)
                    .findOne(RowMapper.STRING).ifPresent(caption -> captions.put(id, caption));
        }
        return captions;
    }

    /** The ids of the images the conversation's messages hold. */
    static List<String> idsOf(Sql sql, String conversationId) {
        return new ArrayList<>(sql.query("SELECT DISTINCT image_id FROM message_images WHERE conversation_id = :id")
                .bind("id", conversationId).list(RowMapper.STRING));
    }

    /** Deletes those of the images that no message holds any more. */
    static void removeUnused(Sql sql, List<String> ids) {
        for (String id : ids) {
            sql.update("DELETE FROM images WHERE id = :id AND NOT EXISTS (SELECT 1 FROM message_images WHERE image_id = :id)")
                    .bind("id", id).execute();
        }
    }
}
