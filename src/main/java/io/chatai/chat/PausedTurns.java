package io.chatai.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.MessageCodec;
import io.chatai.core.message.TokenUsage;
import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns paused on the bot's own tools, in the database so that any instance sharing it can continue them: one row
 * per turn with its owner, its hold on the conversation and its whole state as JSON (messages with
 * {@link MessageCodec}). {@link #take} is the one claim of a row: a continuation and the expiry sweep never both
 * get it. Thread-safe.
 */
final class PausedTurns {
    private final Database database;

    /** A stored paused turn. */
    record Stored(TurnDraft draft, ChatMessage.User userMessage, ToolLoop.Paused paused, String lockToken,
                  long expiresAt) {
    }

    PausedTurns(Database database) {
        this.database = database;
    }

    void save(Stored turn) {
        String state = Json.writeString(encode(turn));
        database.update(sql -> sql.update("INSERT INTO paused_turns (turn_id, conversation_id, key_id, user_id, lock_token, "
                        + "expires_at, state) VALUES (:turn, :conversation, :key, :user, :token, :expires, :state)")
                .bind("turn", turn.draft().turnId()).bind("conversation", turn.draft().conversationId())
                .bind("key", turn.draft().keyId()).bind("user", turn.draft().userId()).bind("token", turn.lockToken())
                .bind("expires", turn.expiresAt()).bind("state", state).execute());
    }

    Optional<Stored> find(String turnId) {
        return database.read(sql -> sql.query("SELECT state, lock_token, expires_at FROM paused_turns WHERE turn_id = :turn")
                .bind("turn", turnId)
                .findOne(rs -> decode(rs.getString(1), rs.getString(2), rs.getLong(3))));
    }

    /** Claims a turn still paused at {@code now}: true for exactly one caller. */
    boolean take(String turnId, long now) {
        return database.write(sql -> sql.update("DELETE FROM paused_turns WHERE turn_id = :turn AND expires_at > :now")
                .bind("turn", turnId).bind("now", now).execute()) == 1;
    }

    /** Deletes turns expired at {@code now}; their conversation ids and hold tokens, for the caller to let go. */
    List<String[]> expire(long now) {
        List<String[]> expired = database.read(sql -> sql.query("SELECT turn_id, conversation_id, lock_token FROM paused_turns "
                + "WHERE expires_at <= :now").bind("now", now)
                .list(rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}));
        List<String[]> claimed = new ArrayList<>();
        for (String[] row : expired) {
            int deleted = database.write(sql -> sql.update("DELETE FROM paused_turns WHERE turn_id = :turn AND expires_at <= :now")
                    .bind("turn", row[0]).bind("now", now).execute());
            if (deleted == 1) {
                claimed.add(row);
            }
        }
        return claimed;
    }

    private static ObjectNode encode(Stored turn) {
        ObjectNode state = Json.MAPPER.createObjectNode();
        state.set("draft", Json.MAPPER.valueToTree(turn.draft()));
        state.set("user", MessageCodec.toJson(turn.userMessage()));
        ToolLoop.Progress progress = turn.paused().progress();
        state.set("messages", messages(progress.messages()));
        state.put("firstStep", progress.firstStep());
        state.set("views", Json.MAPPER.valueToTree(progress.views()));
        state.put("text", progress.text());
        state.put("reasoning", progress.reasoning());
        state.set("usage", Json.MAPPER.valueToTree(progress.usage()));
        state.put("round", progress.round());
        state.set("step", MessageCodec.toJson(turn.paused().step()));
        state.set("ran", messages(turn.paused().ran()));
        state.set("pending", Json.MAPPER.valueToTree(turn.paused().pending()));
        return state;
    }

    private static Stored decode(String json, String lockToken, long expiresAt) {
        try {
            JsonNode state = Json.MAPPER.readTree(json);
            List<ChatMessage> ran = messagesOf(state.get("ran"));
            ToolLoop.Progress progress = new ToolLoop.Progress(messagesOf(state.get("messages")),
                    state.get("firstStep").asInt(), Json.MAPPER.convertValue(state.get("views"), new TypeReference<>() { }),
                    state.get("text").asText(), state.get("reasoning").asText(),
                    Json.MAPPER.treeToValue(state.get("usage"), TokenUsage.class), state.get("round").asInt());
            ToolLoop.Paused paused = new ToolLoop.Paused(progress, (ChatMessage.Assistant) MessageCodec.fromJson(state.get("step")),
                    ran.stream().map(ChatMessage.Tool.class::cast).toList(),
                    Json.MAPPER.convertValue(state.get("pending"), new TypeReference<>() { }));
            return new Stored(Json.MAPPER.treeToValue(state.get("draft"), TurnDraft.class),
                    (ChatMessage.User) MessageCodec.fromJson(state.get("user")), paused, lockToken, expiresAt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A paused turn's stored state cannot be read", e);
        }
    }

    private static ArrayNode messages(List<? extends ChatMessage> messages) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        messages.forEach(message -> array.add(MessageCodec.toJson(message)));
        return array;
    }

    private static List<ChatMessage> messagesOf(JsonNode array) {
        List<ChatMessage> messages = new ArrayList<>(array.size());
        array.forEach(node -> messages.add(MessageCodec.fromJson(node)));
        return messages;
    }
}
