package io.chatai.conversation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A conversation's newest message rows as {@link ConversationRepository#recentMessages} reads them (newest
 * first), held between turns so the next turn need not read them again; a read takes them decoded, exactly as
 * the database would give them. Each row is kept packed ({@link PackedRow}): the windows of a busy server's
 * active conversations are most of what survives a young collection. Never rows holding an image (their
 * bytes are read with the rows). Immutable.
 *
 * @param newestFirst at most {@code depth} packed rows, newest first
 * @param depth       how many rows the read that filled it asked for; appends keep it at that
 * @param complete    true when these are all the conversation's messages (the read found fewer than it asked)
 * @param weight      the bytes it holds, for the cache's bound
 */
record RecentWindow(byte[][] newestFirst, int depth, boolean complete, long weight) {
    private static final int ARRAY_HEADER = 16;

    static RecentWindow read(List<MessageRows.Row> newestFirst, int limit) {
        byte[][] packed = newestFirst.stream().map(PackedRow::pack).toArray(byte[][]::new);
        return new RecentWindow(packed, limit, newestFirst.size() < limit, weigh(packed));
    }

    /** True when it holds the newest {@code limit} messages (or all there are). */
    boolean covers(int limit) {
        return complete || newestFirst.length >= limit;
    }

    /** The newest {@code limit} messages, newest first, decoded ({@code conversationId} names it in a warning). */
    List<StoredMessage> newest(int limit, String conversationId) {
        int count = Math.min(limit, newestFirst.length);
        List<StoredMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(PackedRow.unpack(newestFirst[i]).decode(conversationId, (id, mimeType) -> {
                throw new IllegalStateException("image " + id + " in a window said to hold none");
            }));
        }
        return List.copyOf(messages);
    }

    /**
     * With rows committed after these (oldest first); those it already holds (a read that saw the commit) are
     * skipped, and the oldest fall off beyond {@code depth}.
     */
    RecentWindow append(List<MessageRows.Row> committedOldestFirst) {
        long newestSeq = newestFirst.length == 0 ? Long.MIN_VALUE : PackedRow.seq(newestFirst[0]);
        List<byte[]> added = new ArrayList<>(committedOldestFirst.size());
        for (int i = committedOldestFirst.size() - 1; i >= 0; i--) {
            if (committedOldestFirst.get(i).seq() > newestSeq) {
                added.add(PackedRow.pack(committedOldestFirst.get(i)));
            }
        }
        int size = Math.min(depth, added.size() + newestFirst.length);
        byte[][] kept = new byte[size][];
        for (int i = 0; i < size; i++) {
            kept[i] = i < added.size() ? added.get(i) : newestFirst[i - added.size()];
        }
        boolean trimmed = added.size() + newestFirst.length > depth;
        return new RecentWindow(kept, depth, complete && !trimmed, weigh(kept));
    }

    private static long weigh(byte[][] rows) {
        long bytes = 64 + ARRAY_HEADER + 4L * rows.length;
        for (byte[] row : rows) {
            bytes += ARRAY_HEADER + row.length;
        }
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecentWindow window && depth == window.depth && complete == window.complete
                && Arrays.deepEquals(newestFirst, window.newestFirst);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(newestFirst) + depth;
    }

    @Override
    public String toString() {
        return "RecentWindow[" + newestFirst.length + " rows, depth " + depth + (complete ? ", complete]" : "]");
    }
}
