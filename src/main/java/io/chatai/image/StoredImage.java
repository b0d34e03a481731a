package io.chatai.image;

import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import java.util.Base64;

/**
 * An accepted image: checked bytes, their real format and size, and their content hash, which is its id
 * (the same bytes sent twice are one stored image). Immutable; the bytes are not copied, so nobody may
 * change the array.
 *
 * @param id      the lowercase hex SHA-256 of the bytes
 * @param caption the caption a caption model wrote for these bytes, or null
 */
public record StoredImage(String id, String mimeType, int width, int height, byte[] bytes, String caption) {

    /** The image as a message part, with the bytes inline. */
    public Part.Image part() {
        return new Part.Image(new ImageSource.Inline(mimeType, Base64.getEncoder().encodeToString(bytes)), null);
    }

    public StoredImage withCaption(String text) {
        return new StoredImage(id, mimeType, width, height, bytes, text);
    }
}
