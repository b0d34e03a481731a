package io.chatai.image;

import java.util.Optional;

/**
 * What an image's first bytes say: its format and its size in pixels, read from the header alone. No
 * pixel is ever decoded, so a decompression bomb (a small file declaring a huge canvas) costs nothing
 * but this read, and the declared size is refused before anything could decode it. Immutable.
 *
 * @param mimeType {@code image/png}, {@code image/jpeg}, {@code image/gif} or {@code image/webp}
 */
public record ImageHeader(String mimeType, int width, int height) {
    /** No side longer than this: providers downscale far below it anyway. */
    public static final int MAX_SIDE = 16_384;
    /** No canvas larger than this (about 6000 x 6000): a bigger one is a bomb or useless to a model. */
    public static final long MAX_PIXELS = 36_000_000L;

    /**
     * The header of a supported image, or empty when the bytes are not PNG, JPEG, GIF or WebP (or are
     * too short or malformed to say their size).
     */
    public static Optional<ImageHeader> read(byte[] b) {
        try {
            if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A) && b.length >= 24) {
                return Optional.of(new ImageHeader("image/png", int32(b, 16), int32(b, 20)));
            }
            if (startsWith(b, 'G', 'I', 'F', '8') && b.length >= 10) {
                return Optional.of(new ImageHeader("image/gif", u16le(b, 6), u16le(b, 8)));
            }
            if (startsWith(b, 0xFF, 0xD8)) {
                return jpeg(b);
            }
            if (startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 30 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
                return webp(b);
            }
        } catch (ArrayIndexOutOfBoundsException truncated) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Why this size is refused, or null when it is acceptable. */
    public String refusal() {
        if (width <= 0 || height <= 0) {
            return "the image declares no size (" + width + "x" + height + ")";
        }
        if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
            return "the image is " + width + "x" + height + " pixels; the limit is " + MAX_SIDE + " a side and "
                    + MAX_PIXELS + " pixels";
        }
        return null;
    }

    /** JPEG: walk the segments to the first start-of-frame marker, which holds the size. */
    private static Optional<ImageHeader> jpeg(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return Optional.empty();
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                return Optional.of(new ImageHeader("image/jpeg", u16be(b, i + 7), u16be(b, i + 5)));
            }
            if (marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                i += 2; // markers without a length
                continue;
            }
            int length = u16be(b, i + 2);
            if (length < 2) {
                return Optional.empty();
            }
            i += 2 + length;
        }
        return Optional.empty();
    }

    /** WebP: lossy (VP8), lossless (VP8L) or extended (VP8X) headers each store the size their own way. */
    private static Optional<ImageHeader> webp(byte[] b) {
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8X" -> Optional.of(new ImageHeader("image/webp", 1 + u24le(b, 24), 1 + u24le(b, 27)));
            case "VP8L" -> {
                int bits = (b[21] & 0xFF) | (b[22] & 0xFF) << 8 | (b[23] & 0xFF) << 16 | (b[24] & 0xFF) << 24;
                yield Optional.of(new ImageHeader("image/webp", 1 + (bits & 0x3FFF), 1 + (bits >>> 14 & 0x3FFF)));
            }
            case "VP8 " -> Optional.of(new ImageHeader("image/webp", u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF));
            default -> Optional.empty();
        };
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int int32(byte[] b, int at) {
        long value = (long) (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
        return value > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) value;
    }

    private static int u16be(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    private static int u16le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int u24le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }
}
