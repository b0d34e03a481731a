package io.chatai.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Random tokens, one-way hashes for keys and ids, and the masked form secrets are shown in. Thread-safe. */
public final class Secrets {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /**
     * A DRBG, seeded once from the operating system: it draws bytes in user space, where the default
     * NativePRNG makes a locked read of /dev/urandom per call (a hot spot when every request wants an id).
     */
    private static final SecureRandom RANDOM = drbg();
    /** Bytes below this map onto base62 evenly (4 × 62); the rest are drawn again. */
    private static final int UNBIASED = 248;

    private Secrets() {
    }

    /** prefix + n base62 characters from a CSPRNG (about 5.95 bits each). */
    public static String newToken(String prefix, int n) {
        StringBuilder token = new StringBuilder(prefix.length() + n).append(prefix);
        byte[] bytes = new byte[n + n / 8 + 4];
        while (token.length() < prefix.length() + n) {
            RANDOM.nextBytes(bytes);
            for (int i = 0; i < bytes.length && token.length() < prefix.length() + n; i++) {
                int value = bytes[i] & 0xff;
                if (value < UNBIASED) {
                    token.append(BASE62[value % BASE62.length]);
                }
            }
        }
        return token.toString();
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** Hex SHA-256 of the UTF-8 text: keys are stored and looked up by this, never in clear. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * How a stored secret (a channel key, a header value, a tool server's environment value) is shown:
     * {@code sk-…abcd}, enough to tell secrets apart and never enough to use one. Sent back in a change, the
     * masked form stands for the stored secret.
     */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "";
        }
        String prefix = secret.startsWith("sk-") ? "sk-" : "";
        String tail = secret.length() >= 12 ? secret.substring(secret.length() - 4) : "";
        return prefix + "…" + tail;
    }
}
