package io.chatai.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.MessageCodec;
import io.chatai.store.Database;
import io.chatai.web.OpenAiError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The responses kept by {@code POST /v1/responses} with {@code store} (table {@code responses}, migration V14),
 * each owned by the key that made it: another key's id reads as unknown (404), on every instance sharing the
 * database. A row holds its request's new input and its answer as rich messages, and the {@code response}
 * object as answered; {@code previous_response_id} reads the chain link by link. Bounds: one row holds at
 * most {@link #MAX_ROW_CHARS} characters (a bigger one is answered with {@code store: false} and not kept),
 * and a chain is read to at most {@link #MAX_LINKS} links and {@link #MAX_CHAIN_CHARS} characters (a longer
 * one is a 400 asking for the full input instead), so a chain cannot make a request load without end.
 * Rows are kept until their owner deletes them, as conversations are. Thread-safe.
 */
public final class ResponseStore {
    static final long MAX_ROW_CHARS = 8_000_000;
    static final int MAX_LINKS = 1_000;
    static final long MAX_CHAIN_CHARS = 32_000_000;

    private final Database database;

    public ResponseStore(Database database) {
        this.database = database;
    }

    /**
     * One stored response.
     *
     * @param input  the request's new input (without the chain it continued and without its instructions)
     * @param output the answer as an assistant message
     */
    record Stored(String id, String keyId, String userId, String previousId, String channelId, String model,
                  long createdAt, List<ChatMessage> input, ChatMessage output, String response) {
    }

    /**
     * A chain read back.
     *
     * @param messages  the conversation up to and including the response, oldest first
     * @param channelId the channel whose upstream holds the response itself (it passed the request through), or null
     */
    record Chain(List<ChatMessage> messages, String channelId) {
    }

    /** Keeps the response; false (nothing kept) when it is over {@link #MAX_ROW_CHARS}. */
    boolean save(Stored stored) {
        String input = encode(stored.input());
        String output = encode(List.of(stored.output()));
        long chars = (long) input.length() + output.length() + stored.response().length();
        if (chars > MAX_ROW_CHARS) {
            return false;
        }
        database.update(sql -> sql.update("INSERT INTO responses (id, key_id, user_id, previous_id, channel_id, model, created_at, "
                        + "input, output, response, chars) VALUES (:id, :keyId, :userId, :previousId, :channelId, :model, :createdAt, "
                        + ":input, :output, :response, :chars)")
                .bindFields(stored).bind("input", input).bind("output", output).bind("chars", chars).execute());
        return true;
    }

    /** The response object as answered, if {@code keyId} owns it. */
    Optional<String> find(String id, String keyId) {
        return database.read(sql -> sql.query("SELECT response FROM responses WHERE id = :id AND key_id = :keyId")
                .bind("id", id).bind("keyId", keyId).findOne(rs -> rs.getString(1)));
    }

    boolean delete(String id, String keyId) {
        return database.write(sql -> sql.update("DELETE FROM responses WHERE id = :id AND key_id = :keyId")
                .bind("id", id).bind("keyId", keyId).execute() == 1);
    }

    /**
     * The conversation up to and including response {@code id}, oldest first: each link's input and answer.
     *
     * @throws OpenAiError 404 when {@code keyId} owns no response {@code id} (or a link of its chain is gone),
     *                     400 when the chain is over the bounds
     */
    Chain chain(String id, String keyId) {
        record Link(String previousId, String input, String output, long chars, String channelId) {
        }
        String[] head = {null};
        List<List<ChatMessage>> links = database.read(sql -> {
            List<List<ChatMessage>> read = new ArrayList<>();
            long chars = 0;
            String next = id;
            while (next != null) {
                if (read.size() == MAX_LINKS || chars > MAX_CHAIN_CHARS) {
                    throw new OpenAiError(400, "invalid_request_error", "invalid_value", "previous_response_id",
                            "The chain of previous responses is longer than this server reads (" + MAX_LINKS + " responses or "
                                    + MAX_CHAIN_CHARS + " characters): send the whole input without previous_response_id.");
                }
                String current = next;
                Link link = sql.query("SELECT previous_id, input, output, chars, channel_id FROM responses "
                                + "WHERE id = :id AND key_id = :keyId")
                        .bind("id", current).bind("keyId", keyId)
                        .findOne(rs -> new Link(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)))
                        .orElseThrow(() -> notFound(current));
                if (read.isEmpty()) {
                    head[0] = link.channelId();
                }
                chars += link.chars();
                List<ChatMessage> messages = new ArrayList<>(decode(link.input()));
                messages.addAll(decode(link.output()));
                read.add(messages);
                next = link.previousId();
            }
            return read;
        });
        Collections.reverse(links);
        List<ChatMessage> context = new ArrayList<>();
        links.forEach(context::addAll);
        return new Chain(context, head[0]);
    }

    static OpenAiError notFound(String id) {
        return new OpenAiError(404, "invalid_request_error", "previous_response_not_found", "previous_response_id",
                "Previous response with id '" + id + "' not found.");
    }

    private static String encode(List<ChatMessage> messages) {
        var array = Json.MAPPER.createArrayNode();
        messages.forEach(m -> array.add(MessageCodec.toJson(m)));
        return Json.writeString(array);
    }

    private static List<ChatMessage> decode(String json) {
        JsonNode array = Json.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "stored messages");
        List<ChatMessage> messages = new ArrayList<>(array.size());
        array.forEach(node -> messages.add(MessageCodec.fromJson(node)));
        return messages;
    }
}
