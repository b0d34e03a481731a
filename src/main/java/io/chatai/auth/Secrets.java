package io.chatai.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Random tokens and one-way hashes for keys and ids. Thread-safe. */
public final class Secrets {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** prefix + n base62 characters from a CSPRNG (about 5.95 bits each). */
    public static String newToken(String prefix, int n) {
        StringBuilder token = new StringBuilder(prefix.length() + n).append(prefix);
        for (int i = 0; i < n; i++) {
            token.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return token.toString();
    }

    /** Hex SHA-256 of the UTF-8 text: keys are stored and looked up by this, never in clear. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** Compares two secrets in time independent of where they differ. */
    public static boolean sameSecret(String a, String b) {
        return MessageDigest.isEqual(sha256(a).getBytes(StandardCharsets.US_ASCII), sha256(b).getBytes(StandardCharsets.US_ASCII));
    }
}
