package io.chatai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fake Anthropic Messages server ({@code POST /v1/messages}): the message object, and the named SSE
 * events {@code message_start}, {@code content_block_*}, {@code ping}, {@code message_delta} (with the
 * output usage) and {@code message_stop}; errors as {@code {"type":"error","error":{type,message}}}.
 * {@code POST /v1/messages/count_tokens} answers {@code {"input_tokens": N}} ({@link #tokensCounted}).
 * Thread-safe.
 */
public final class FakeAnthropic extends FakeUpstream {

    private volatile boolean countsTokens = true;

    public FakeAnthropic() {
        super("/v1/messages", "/v1/messages/count_tokens");
    }

    /** Whether {@code /v1/messages/count_tokens} answers (true) or is a 404, as on servers without it. */
    public void offerCountTokens(boolean offered) {
        countsTokens = offered;
    }

    /** What this fake's count_tokens answers for a request: a number no tokenizer would give. */
    public static int tokensCounted(JsonNode body) {
        return 1000 + body.path("messages").toString().length();
    }

    @Override
    protected Reply special(Recorded request) {
        if (!request.path().endsWith("/count_tokens")) {
            return null;
        }
        return countsTokens ? Reply.rawError(200, "{\"input_tokens\":" + tokensCounted(request.body()) + "}")
                : Reply.rawError(404, errorBody(404, "Not found"));
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
        return Reply.text("echo(" + count + "): ", FakeAnthropicReader.text(messages.path(messages.size() - 1).path("content")));
    }

    @Override
    public String systemPromptOf(Recorded request) {
        return FakeAnthropicReader.text(request.body().path("system"));
    }

    @Override
    public List<String> conversationOf(Recorded request) {
        return request.messages().stream().map(m -> m.path("role").asText() + ": " + FakeAnthropicReader.text(m.path("content"))).toList();
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

    /** The message object of the Messages API reference, with the parts as content blocks in order. */
    @Override
    protected JsonNode richCompletion(JsonNode body, Reply.Rich rich) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "msg_fake").put("type", "message").put("role", "assistant").put("model", body.path("model").asText());
        ArrayNode content = root.putArray("content");
        for (Part part : rich.parts()) {
            ObjectNode block = block(part);
            switch (part) {
                case Part.Text text -> block.put("text", text.text());
                case Part.Reasoning reasoning -> {
                    if (reasoning.redacted() == null) {
                        block.put("thinking", reasoning.text() == null ? "" : reasoning.text()).put("signature", reasoning.signature());
                    }
                }
                case Part.ToolCall call -> block.set("input", readTree(call.arguments()));
                case Part.Image image -> { }
            }
            content.add(block);
        }
        root.put("stop_reason", stopReason(rich.finish())).putNull("stop_sequence");
        root.set("usage", usage(rich, true));
        return root;
    }

    /**
     * The stream of the streaming reference: {@code message_start} (input usage), per part a
     * {@code content_block_start}, its deltas ({@code text_delta} and {@code thinking_delta} of at most 4
     * characters, a {@code signature_delta} at the end of a thinking block, an empty then two or more
     * {@code input_json_delta} fragments) and {@code content_block_stop}, a {@code ping} after the first
     * block's start, {@code message_delta} with the stop reason and cumulative usage, {@code message_stop}.
     */
    @Override
    protected List<String> richStream(JsonNode body, Reply.Rich rich) {
        List<String> frames = new ArrayList<>();
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", "msg_fake").put("type", "message").put("role", "assistant").put("model", body.path("model").asText());
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.set("usage", usage(rich, false).put("output_tokens", 1));
        frames.add(event("message_start", start));
        for (int index = 0; index < rich.parts().size(); index++) {
            Part part = rich.parts().get(index);
            ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
            ObjectNode block = block(part);
            blockStart.set("content_block", block);
            List<ObjectNode> deltas = new ArrayList<>();
            switch (part) {
                case Part.Text text -> {
                    block.put("text", "");
                    pieces(text.text(), 4).forEach(piece -> deltas.add(delta("text_delta", "text", piece)));
                }
                case Part.Reasoning reasoning -> {
                    if (reasoning.redacted() == null) {
                        block.put("thinking", "");
                        pieces(reasoning.text() == null ? "" : reasoning.text(), 4)
                                .forEach(piece -> deltas.add(delta("thinking_delta", "thinking", piece)));
                        deltas.add(delta("signature_delta", "signature", reasoning.signature()));
                    }
                }
                case Part.ToolCall call -> {
                    block.putObject("input");
                    deltas.add(delta("input_json_delta", "partial_json", ""));
                    String arguments = call.arguments();
                    int pieceLength = Math.max(1, (arguments.length() + 2) / 3);
                    pieces(arguments, pieceLength).forEach(piece -> deltas.add(delta("input_json_delta", "partial_json", piece)));
                }
                case Part.Image image -> { }
            }
            frames.add(event("content_block_start", blockStart));
            if (index == 0) {
                frames.add(event("ping", JSON.createObjectNode().put("type", "ping")));
            }
            for (ObjectNode delta : deltas) {
                ObjectNode frame = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
                frame.set("delta", delta);
                frames.add(event("content_block_delta", frame));
            }
            frames.add(event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index)));
        }
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason(rich.finish())).putNull("stop_sequence");
        // Newer API versions repeat the input counts here; output_tokens is the final, cumulative count.
        messageDelta.set("usage", usage(rich, true));
        frames.add(event("message_delta", messageDelta));
        frames.add(event("message_stop", JSON.createObjectNode().put("type", "message_stop")));
        return frames;
    }

    @Override
    public Received received(Recorded request) {
        return FakeAnthropicReader.read(request.body());
    }

    /** A block of the part's type, with the fields it carries whole (a tool call's id and name, redacted data). */
    private static ObjectNode block(Part part) {
        ObjectNode block = JSON.createObjectNode();
        switch (part) {
            case Part.Text text -> block.put("type", "text");
            case Part.Reasoning reasoning when reasoning.redacted() != null ->
                    block.put("type", "redacted_thinking").put("data", reasoning.redacted());
            case Part.Reasoning reasoning -> block.put("type", "thinking");
            case Part.ToolCall call -> block.put("type", "tool_use").put("id", call.id()).put("name", call.name());
            case Part.Image image -> throw new IllegalArgumentException("an answer has no images");
        }
        return block;
    }

    private static ObjectNode delta(String type, String field, String value) {
        return JSON.createObjectNode().put("type", type).put(field, value);
    }

    private static List<String> pieces(String text, int length) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += length) {
            pieces.add(text.substring(i, Math.min(text.length(), i + length)));
        }
        return pieces;
    }

    /** Anthropic's stop reason for a finish reason. */
    static String stopReason(FinishReason finish) {
        return switch (finish) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    /** Anthropic's usage fields: input_tokens without the cache reads and writes, which have fields of their own. */
    private static ObjectNode usage(Reply.Rich rich, boolean withOutput) {
        TokenUsage usage = rich.usage() != null ? rich.usage() : new TokenUsage(11, rich.parts().size(), false);
        ObjectNode fields = JSON.createObjectNode()
                .put("input_tokens", usage.promptTokens() - usage.cachedPromptTokens() - usage.cacheCreationTokens())
                .put("cache_creation_input_tokens", usage.cacheCreationTokens())
                .put("cache_read_input_tokens", usage.cachedPromptTokens());
        return withOutput ? fields.put("output_tokens", usage.completionTokens()) : fields;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("tool-call arguments of a scripted reply must be JSON: " + json, e);
        }
    }
}
