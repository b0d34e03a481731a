package io.chatai.channel;

/** Hears about every upstream call (usage records, metrics). Implementations must be fast and thread-safe. */
@FunctionalInterface
public interface CallListener {
    void onCall(CallReport report);
}
