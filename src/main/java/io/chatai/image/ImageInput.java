package io.chatai.image;

/**
 * One image as a chat request sends it: a URL to fetch, or base64 data with its MIME type. Exactly one
 * of {@code url} and {@code data} is set. Immutable.
 */
public record ImageInput(String url, String data, String mimeType) {
}
