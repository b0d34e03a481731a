package io.chatai.image;

/** An image URL that could not be fetched or may not be; the message is safe to show the caller. */
public final class ImageFetchException extends RuntimeException {
    public ImageFetchException(String message) {
        super(message);
    }
}
