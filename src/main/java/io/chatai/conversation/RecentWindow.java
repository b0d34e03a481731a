package io.chatai.conversation;

import io.chatai.core.message.Part;
import io.chatai.core.message.Parts;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation's newest messages as {@link ConversationRepository#recentMessages} reads them (newest first),
 * held between turns so the next turn need not read them again. Immutable.
 *
 * @param newestFirst at most {@code depth} messages, newest first
 * @param depth       how many rows the read that filled it asked for; appends keep it at that
 * @param complete    true when these are all the conversation's messages (the read found fewer than it asked)
 * @param weight      an estimate of the bytes it holds, for the cache's bound
 */
record RecentWindow(List<StoredMessage> newestFirst, int depth, boolean complete, long weight) {

    static RecentWindow read(List<StoredMessage> newestFirst, int limit) {
        return new RecentWindow(List.copyOf(newestFirst), limit, newestFirst.size() < limit, weigh(newestFirst));
    }

    /** True when it holds the newest {@code limit} messages (or all there are). */
    boolean covers(int limit) {
        return complete || newestFirst.size() >= limit;
    }

    /** The newest {@code limit} messages, newest first. */
    List<StoredMessage> newest(int limit) {
        return newestFirst.size() <= limit ? newestFirst : newestFirst.subList(0, limit);
    }

    /** True when a message holds an image: its bytes are not kept here (they are large, and read with the rows). */
    boolean holdsImage() {
        return Parts.anyImage(newestFirst.stream().map(StoredMessage::message).toList());
    }

    /**
     * With messages committed after these (oldest first); those it already holds (a read that saw the commit)
     * are skipped, and the oldest fall off beyond {@code depth}.
     */
    RecentWindow append(List<StoredMessage> committedOldestFirst) {
        long newestSeq = newestFirst.isEmpty() ? Long.MIN_VALUE : newestFirst.getFirst().seq();
        List<StoredMessage> merged = new ArrayList<>(newestFirst.size() + committedOldestFirst.size());
        for (int i = committedOldestFirst.size() - 1; i >= 0; i--) {
            if (committedOldestFirst.get(i).seq() > newestSeq) {
                merged.add(committedOldestFirst.get(i));
            }
        }
        merged.addAll(newestFirst);
        boolean trimmed = merged.size() > depth;
        List<StoredMessage> kept = trimmed ? merged.subList(0, depth) : merged;
        return new RecentWindow(List.copyOf(kept), depth, complete && !trimmed, weigh(kept));
    }

    private static long weigh(List<StoredMessage> messages) {
        long bytes = 64;
        for (StoredMessage message : messages) {
            // The text twice (content, and the message's own parts), UTF-16, plus the objects around it.
            bytes += 160 + 4L * message.content().length();
            for (Part part : message.message().content()) {
                bytes += switch (part) {
                    case Part.Text text -> 0; // counted with content
                    case Part.Image image -> 1024; // never kept (holdsImage); counted should that change
                    case Part.ToolCall call -> 2L * (call.name().length() + call.arguments().length()) + 96;
                    case Part.Reasoning reasoning -> 2L * (length(reasoning.text()) + length(reasoning.signature())
                            + length(reasoning.redacted())) + 96;
                };
            }
        }
        return bytes;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
