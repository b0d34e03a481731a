package io.chatai.image;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the images of a chat request into checked {@link StoredImage}s before any model is called: URLs
 * fetched at once (the platform's link may be dead within hours), base64 decoded, each one's bytes
 * sniffed for a supported format and a sane size read from its header. Nothing is decoded past the
 * header. Thread-safe.
 */
public final class ImageIntake {
    private static final Set<String> SUPPORTED = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    private final ImageFetcher fetcher;
    private final int maxBytes;

    public ImageIntake(ImageFetcher fetcher, int maxBytes) {
        this.fetcher = fetcher;
        this.maxBytes = maxBytes;
    }

    /** Every image checked, in order; the first failure names its index in {@code details.index}. */
    public List<StoredImage> accept(List<ImageInput> inputs) {
        List<StoredImage> images = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            images.add(accept(inputs.get(i), i));
        }
        return images;
    }

    private StoredImage accept(ImageInput input, int index) {
        byte[] bytes;
        if (input.url() != null) {
            try {
                bytes = fetcher.fetch(input.url());
            } catch (ImageFetchException e) {
                throw new ApiException(ErrorCode.IMAGE_FETCH_FAILED, "images[" + index + "]: the URL " + e.getMessage(),
                        Map.of("index", index));
            }
        } else {
            if (!SUPPORTED.contains(input.mimeType())) {
                throw invalid(index, "mimeType must be image/png, image/jpeg, image/gif or image/webp");
            }
            try {
                bytes = Base64.getMimeDecoder().decode(input.data());
            } catch (IllegalArgumentException e) {
                throw invalid(index, "data is not valid base64");
            }
            if (bytes.length > maxBytes) {
                throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "images[" + index + "] is " + bytes.length
                        + " bytes; the limit is " + maxBytes + " (CHATAI_MAX_IMAGE_BYTES)", Map.of("index", index));
            }
        }
        ImageHeader header = ImageHeader.read(bytes)
                .orElseThrow(() -> invalid(index, "is not a JPEG, PNG, GIF or WebP image"));
        String refusal = header.refusal();
        if (refusal != null) {
            throw invalid(index, refusal);
        }
        return new StoredImage(sha256(bytes), header.mimeType(), header.width(), header.height(), bytes, null);
    }

    private static ApiException invalid(int index, String problem) {
        return new ApiException(ErrorCode.INVALID_REQUEST, "images[" + index + "]: " + problem, Map.of("index", index));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
