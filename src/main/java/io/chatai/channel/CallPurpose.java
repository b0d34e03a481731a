package io.chatai.channel;

import java.util.Locale;

/** What an upstream call was for, as usage records and stats name it ({@link #wire()}). Immutable. */
public enum CallPurpose {
    /** A chat answer: {@code /api/chat} and the chat fronts of {@code /v1}. */
    CHAT,
    /** Vectors for texts: {@code /v1/embeddings} and features that embed. */
    EMBEDDING,
    /** Facts extracted from a committed turn for long-term memory. */
    MEMORY;

    /** The lower-case name stored in usage records: {@code chat}, {@code embedding}, {@code memory}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
