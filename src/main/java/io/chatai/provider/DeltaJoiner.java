package io.chatai.provider;

/**
 * Holds back a trailing high surrogate of a delta until its low surrogate arrives with the next one, so
 * a character split across upstream tokens is forwarded whole. Not thread-safe (one per stream).
 */
public final class DeltaJoiner {
    private char held;

    /** The part of the text that is safe to forward now (possibly empty). */
    public String accept(String text) {
        String joined = held == 0 ? text : held + text;
        held = 0;
        if (!joined.isEmpty() && Character.isHighSurrogate(joined.charAt(joined.length() - 1))) {
            held = joined.charAt(joined.length() - 1);
            return joined.substring(0, joined.length() - 1);
        }
        return joined;
    }

    /** What is still held at the end of the stream: a lone surrogate cannot be sent, so it is dropped. */
    public boolean holding() {
        return held != 0;
    }
}
