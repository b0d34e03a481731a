package io.chatai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fake Anthropic Messages server ({@code POST /v1/messages}): the message object, and the named SSE
 * events {@code message_start}, {@code content_block_*}, {@code ping}, {@code message_delta} (with the
 * output usage) and {@code message_stop}; errors as {@code {"type":"error","error":{type,message}}}.
 * Thread-safe.
 */
public final class FakeAnthropic extends FakeUpstream {

    public FakeAnthropic() {
        super("/v1/messages");
    }

    @Override
    public String type() {
        return "anthropic";
    }

    @Override
    public String baseUrl() {
        return origin();
    }

    @Override
    protected Reply defaultReply(JsonNode body) {
        JsonNode messages = body.path("messages");
        int count = messages.size() + (body.has("system") ? 1 : 0);
        return Reply.text("echo(" + count + "): ", messages.path(messages.size() - 1).path("content").asText());
    }

    @Override
    public String systemPromptOf(Recorded request) {
        return request.body().path("system").asText(null);
    }

    @Override
    public List<String> conversationOf(Recorded request) {
        return request.messages().stream().map(m -> m.path("role").asText() + ": " + m.path("content").asText()).toList();
    }

    @Override
    protected boolean streaming(ServerRequest req, JsonNode body) {
        return body.path("stream").asBoolean(false);
    }

    @Override
    protected String modelOf(ServerRequest req, JsonNode body) {
        return body.path("model").asText(null);
    }

    @Override
    protected String apiKeyOf(Map<String, String> headers) {
        return headers.get("x-api-key");
    }

    /** Anthropic's error {@code type} for a status. */
    static String errorType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    @Override
    protected String errorBody(int status, String message) {
        return error(status, message).toString();
    }

    @Override
    protected JsonNode completion(JsonNode body, Reply reply) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "msg_fake").put("type", "message").put("role", "assistant").put("model", body.path("model").asText());
        root.putArray("content").addObject().put("type", "text").put("text", reply.joined());
        root.put("stop_reason", "end_turn").putNull("stop_sequence");
        if (reply.usage()) {
            root.putObject("usage").put("input_tokens", 11).put("output_tokens", reply.chunks().size());
        }
        return root;
    }

    @Override
    protected List<String> streamHead(JsonNode body, Reply reply) {
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", "msg_fake").put("type", "message").put("role", "assistant").put("model", body.path("model").asText());
        message.putArray("content");
        message.putNull("stop_reason");
        if (reply.usage()) {
            // output_tokens here is only the first token: the final count comes with message_delta.
            message.putObject("usage").put("input_tokens", 11).put("output_tokens", 1);
        }
        ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        return List.of(event("message_start", start), event("content_block_start", blockStart),
                event("ping", JSON.createObjectNode().put("type", "ping")));
    }

    @Override
    protected String streamChunk(JsonNode body, Reply reply, String text) {
        ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", text);
        return event("content_block_delta", delta);
    }

    @Override
    protected List<String> streamTail(JsonNode body, Reply reply) {
        List<String> frames = new ArrayList<>();
        frames.add(event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", 0)));
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        if (reply.usage()) {
            messageDelta.putObject("usage").put("output_tokens", reply.chunks().size());
        }
        frames.add(event("message_delta", messageDelta));
        frames.add(event("message_stop", JSON.createObjectNode().put("type", "message_stop")));
        return frames;
    }

    @Override
    protected String streamError(int status, String message) {
        return event("error", error(status, message));
    }

    private static ObjectNode error(int status, String message) {
        ObjectNode root = JSON.createObjectNode().put("type", "error");
        root.putObject("error").put("type", errorType(status)).put("message", message);
        return root;
    }

    // Issue 14: the Anthropic adapter's work renders structured replies and reads requests back; until then the rich
    // contract cases fail here.
    @Override
    protected JsonNode richCompletion(JsonNode body, Reply.Rich rich) {
        throw new UnsupportedOperationException("structured replies are not rendered by FakeAnthropic yet");
    }

    @Override
    protected List<String> richStream(JsonNode body, Reply.Rich rich) {
        throw new UnsupportedOperationException("structured replies are not rendered by FakeAnthropic yet");
    }

    @Override
    public Received received(Recorded request) {
        throw new UnsupportedOperationException("FakeAnthropic does not read requests back yet");
    }
}
