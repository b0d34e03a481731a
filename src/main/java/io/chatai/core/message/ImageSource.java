package io.chatai.core.message;

import java.util.Objects;

/** Where an image's bytes are: a URL the provider (or the server) fetches, or the bytes inline. Immutable. */
public sealed interface ImageSource {

    /** An {@code http(s)} URL, or a {@code data:} URL as OpenAI clients send it (see {@link #parse}). */
    record Url(String url) implements ImageSource {
        public Url {
            Objects.requireNonNull(url, "url");
        }
    }

    /**
     * Inline bytes, base64-encoded (standard alphabet, no line breaks).
     *
     * @param mimeType {@code image/png}, {@code image/jpeg}, {@code image/gif} or {@code image/webp}
     */
    record Inline(String mimeType, String base64) implements ImageSource {
        public Inline {
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(base64, "base64");
        }

        /** The {@code data:} URL form OpenAI's wire format uses. */
        public String dataUrl() {
            return "data:" + mimeType + ";base64," + base64;
        }
    }

    /** A {@code data:<mime>;base64,<data>} URL becomes {@link Inline}; anything else stays a {@link Url}. */
    static ImageSource parse(String url) {
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            int marker = url.indexOf(";base64");
            if (comma > 0 && marker > 5 && marker < comma) {
                return new Inline(url.substring(5, marker), url.substring(comma + 1));
            }
        }
        return new Url(url);
    }
}
