package io.chatai.conversation;

import io.chatai.core.message.ChatMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A message row packed into one byte array, as the conversation cache keeps it between turns. Why: a decoded
 * message is six objects, and while it is young the collector copies each of them at every young collection;
 * a soak of 10,000 conversations spent half its pause time copying them (bench/README, "Issue 20, eighth
 * pass"). One array per message is copied as one block, and a turn decodes the few it uses. Stateless.
 *
 * <p>Layout: seq (8 bytes), tokens (4), created_at (8), role (1), flags (1), then the strings that are
 * present, each as a 4-byte length and its UTF-8 bytes: content, parts, the speaker's id, the speaker's name.
 */
final class PackedRow {
    private static final ChatMessage.Role[] ROLES = ChatMessage.Role.values();
    private static final int PARTS = 1, SPEAKER = 2, SPEAKER_NAME = 4;
    private static final int FIXED = 8 + 4 + 8 + 1 + 1;

    private PackedRow() {
    }

    static byte[] pack(MessageRows.Row row) {
        byte[] content = utf8(row.content());
        byte[] parts = utf8(row.parts());
        byte[] userId = row.speaker() == null ? null : utf8(row.speaker().userId());
        byte[] userName = row.speaker() == null ? null : utf8(row.speaker().name());
        int flags = (parts == null ? 0 : PARTS) | (userId == null ? 0 : SPEAKER) | (userName == null ? 0 : SPEAKER_NAME);
        ByteBuffer out = ByteBuffer.allocate(FIXED + size(content) + size(parts) + size(userId) + size(userName));
        out.putLong(row.seq()).putInt(row.tokens()).putLong(row.createdAt())
                .put((byte) row.role().ordinal()).put((byte) flags);
        put(out, content);
        put(out, parts);
        put(out, userId);
        put(out, userName);
        return out.array();
    }

    static MessageRows.Row unpack(byte[] packed) {
        ByteBuffer in = ByteBuffer.wrap(packed);
        long seq = in.getLong();
        int tokens = in.getInt();
        long createdAt = in.getLong();
        ChatMessage.Role role = ROLES[in.get()];
        int flags = in.get();
        String content = string(in);
        String parts = (flags & PARTS) == 0 ? null : string(in);
        Speaker speaker = (flags & SPEAKER) == 0 ? null
                : new Speaker(string(in), (flags & SPEAKER_NAME) == 0 ? null : string(in));
        return new MessageRows.Row(seq, role, content, parts, tokens, createdAt, speaker);
    }

    /** The row's seq, without unpacking the rest. */
    static long seq(byte[] packed) {
        return ByteBuffer.wrap(packed).getLong(0);
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static int size(byte[] bytes) {
        return bytes == null ? 0 : 4 + bytes.length;
    }

    private static void put(ByteBuffer out, byte[] bytes) {
        if (bytes != null) {
            out.putInt(bytes.length).put(bytes);
        }
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }
}
