package io.chatai.conversation;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.MessageCodec;
import io.chatai.core.message.Part;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a message is written to a row of {@code messages} and read back from one: its text in {@code content},
 * anything more (images, reasoning, tool calls, a tool result's ids) in the {@code parts} document. Stateless.
 */
final class MessageRows {
    private static final Logger LOG = LoggerFactory.getLogger(MessageRows.class);
    static final String COLUMNS = "seq, role, content, parts, tokens, created_at, user_id, user_name";

    private MessageRows() {
    }

    /** Rows just written, as {@link ConversationRepository#recentMessages} would read them back. */
    static List<Row> asRead(List<MessageRow> rows) {
        return rows.stream().map(row -> new Row(row.seq(), ChatMessage.Role.fromWire(row.role()), row.content(), row.parts(),
                row.tokens(), row.createdAt(), row.userId() == null ? null : new Speaker(row.userId(), row.userName())))
                .toList();
    }

    /** One row of {@code messages}, for a batch insert; the speaker only on a group conversation's user message. */
    record MessageRow(String conversationId, long seq, String role, String content, String parts, int tokens,
                              long createdAt, String userId, String userName) {
    }

    /** A tool turn's rows: the user's message, each step, the answer. */
    static List<MessageRow> rows(TurnCommit turn, long firstSeq, String userParts) {
        List<MessageRow> rows = new java.util.ArrayList<>(turn.steps().size() + 2);
        String id = turn.conversationId();
        long seq = firstSeq;
        rows.add(new MessageRow(id, seq++, "user", turn.user().text(), userParts, turn.userTokens(), turn.userAt(),
                turn.speaker() == null ? null : turn.speaker().userId(), turn.speaker() == null ? null : turn.speaker().name()));
        for (int i = 0; i < turn.steps().size(); i++) {
            ChatMessage step = turn.steps().get(i);
            rows.add(new MessageRow(id, seq++, step.role().wire(), step.text(), stepParts(step), turn.stepTokens().get(i),
                    turn.replyAt(), null, null));
        }
        rows.add(new MessageRow(id, seq, "assistant", turn.answer(), answerParts(turn.reply(), turn.answer()),
                turn.replyTokens(), turn.replyAt(), null, null));
        return rows;
    }

    /**
     * A step's {@code parts}: an assistant message's parts document; a tool result's whole message document
     * (MessageCodec), since its call id, tool name and error flag belong to the message, not to its parts.
     */
    private static String stepParts(ChatMessage step) {
        return step instanceof ChatMessage.Tool ? MessageCodec.encode(step) : MessageCodec.encodeParts(step.content());
    }

    /**
     * What the {@code parts} column stores for a message: null when the message is exactly its text (one
     * text part, or none), since {@code content} already holds that; the parts document otherwise.
     */
    static String parts(ChatMessage message) {
        return parts(message, source -> null);
    }

    /**
     * The answer's {@code parts}, stored with {@code content} (for a tool turn, the text of all its assistant
     * messages): null only when the message is exactly that text.
     */
    static String answerParts(ChatMessage message, String content) {
        List<Part> parts = message.content();
        boolean onlyText = parts.isEmpty() || parts.size() == 1 && parts.getFirst() instanceof Part.Text;
        return onlyText && message.text().equals(content) ? null : MessageCodec.encodeParts(parts);
    }

    /** As {@link #parts(ChatMessage)}, with each inline image that {@code storedId} names written as a reference. */
    static String parts(ChatMessage message, java.util.function.Function<ImageSource, String> storedId) {
        List<Part> content = message.content();
        boolean onlyText = content.isEmpty() || content.size() == 1 && content.getFirst() instanceof Part.Text;
        return onlyText ? null : MessageCodec.encodeParts(content, storedId::apply);
    }

    /** The sources of the message's images, in order (the order {@code TurnCommit.images} follows). */
    static List<ImageSource> imageSources(ChatMessage message) {
        return message.content().stream().filter(Part.Image.class::isInstance).map(p -> ((Part.Image) p).source()).toList();
    }

    /** A message row as read, before its parts are decoded (which may need further reads for images). */
    record Row(long seq, ChatMessage.Role role, String content, String parts, int tokens, long createdAt,
                       Speaker speaker) {
        static Row of(ResultSet rs) throws SQLException {
            String userId = rs.getString("user_id");
            return new Row(rs.getLong("seq"), ChatMessage.Role.fromWire(rs.getString("role")), rs.getString("content"),
                    rs.getString("parts"), rs.getInt("tokens"), rs.getLong("created_at"),
                    userId == null ? null : new Speaker(userId, rs.getString("user_name")));
        }

        StoredMessage decode(String conversationId, MessageCodec.StoredImages images) {
            return message(conversationId, this, images).withSpeaker(speaker);
        }
    }

    private static StoredMessage message(String conversationId, Row row, MessageCodec.StoredImages images) {
        long seq = row.seq();
        ChatMessage.Role role = row.role();
        String content = row.content();
        String parts = row.parts();
        int tokens = row.tokens();
        long createdAt = row.createdAt();
        if (parts == null) {
            return new StoredMessage(seq, role, content, tokens, createdAt);
        }
        try {
            ChatMessage stored = role == ChatMessage.Role.TOOL ? MessageCodec.decode(parts)
                    : withParts(role, MessageCodec.decodeParts(parts, images));
            return new StoredMessage(seq, stored, content, tokens, createdAt);
        } catch (IllegalArgumentException e) {
            // Parts this server cannot read (written by a newer version, say) must not break the conversation:
            // its text still is the message the user saw. The row itself stays as it is.
            LOG.warn("Message {} of conversation {} has parts this server cannot read ({}); using its text",
                    seq, conversationId, e.getMessage());
            return new StoredMessage(seq, role, content, tokens, createdAt);
        }
    }

    private static ChatMessage withParts(ChatMessage.Role role, List<Part> parts) {
        return switch (role) {
            case USER -> new ChatMessage.User(parts, null);
            case ASSISTANT -> new ChatMessage.Assistant(parts);
            case SYSTEM, TOOL -> throw new IllegalArgumentException("a " + role.wire() + " row cannot carry parts");
        };
    }
}
