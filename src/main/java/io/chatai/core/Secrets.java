package io.chatai.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Random tokens, one-way hashes for keys and ids, the masked form stored secrets are shown in ({@link #mask}), and
 * the redaction of secrets from foreign text ({@link #redact}). Thread-safe.
 */
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
     * masked form stands for the stored secret. Text from outside (an upstream's or a tool server's answer) gets
     * {@link #redact} instead, which keeps no character of a secret.
     */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "";
        }
        String prefix = secret.startsWith("sk-") ? "sk-" : "";
        String tail = secret.length() >= 12 ? secret.substring(secret.length() - 4) : "";
        return prefix + "…" + tail;
    }

    /**
     * Stands for a secret (or a piece of one) in text an upstream or a tool server sent back. Unlike the
     * {@code sk-…abcd} of {@link #mask} it carries none of the secret's characters, so no cut made afterwards can
     * expose a piece of it.
     */
    public static final String REDACTED = "[redacted]";
    /** Secrets shorter than this are not secret enough to hunt for: every short word would go. */
    private static final int MIN_SECRET = 4;
    /**
     * A run of this many characters of a secret is taken as a piece of it (an upstream that quotes a
     * key cut short); shorter runs are ordinary text, e.g. a shared {@code sk-} prefix.
     */
    private static final int MIN_PIECE = 6;

    /**
     * The text with every occurrence of each secret, and every run of at least {@value #MIN_PIECE}
     * characters copied from one, replaced by {@link #REDACTED}. Call it before anything cuts the text
     * to length: a cut made first can leave the front half of a secret that no longer matches it whole.
     * Linear in the text's length for each secret.
     */
    public static String redact(String text, Collection<String> secrets) {
        if (text == null || text.isEmpty() || secrets.isEmpty()) {
            return text;
        }
        List<String> longestFirst = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET) {
                longestFirst.add(secret);
            }
        }
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        String out = text;
        for (String secret : longestFirst) {
            out = out.replace(secret, REDACTED);
        }
        for (String secret : longestFirst) {
            if (secret.length() >= MIN_PIECE) {
                out = redactPieces(out, secret);
            }
        }
        return out;
    }

    /** Replaces each maximal run of the text that is a substring of the secret at least MIN_PIECE long. */
    private static String redactPieces(String text, String secret) {
        Set<String> pieces = new HashSet<>();
        for (int i = 0; i + MIN_PIECE <= secret.length(); i++) {
            pieces.add(secret.substring(i, i + MIN_PIECE));
        }
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i + MIN_PIECE <= text.length()) {
            if (!pieces.contains(text.substring(i, i + MIN_PIECE))) {
                i++;
                continue;
            }
            int end = i + MIN_PIECE;
            // Grow the run while it is still a piece of the secret: the longest stretch goes, not just its start.
            while (end < text.length() && secret.contains(text.substring(i, end + 1))) {
                end++;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, i).append(REDACTED);
            copied = end;
            i = end;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }
}
