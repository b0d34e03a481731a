package io.chatai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.helidon.webserver.http.ServerRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * A fake OpenAI server: chat completions ({@code POST /v1/chat/completions}) with JSON answers, and SSE
 * chunks ending with {@code data: [DONE]}, usage only when {@code stream_options.include_usage} asks; and
 * embeddings ({@code POST /v1/embeddings}) with one {@link #vectorOf} vector per input ({@code dimensions}
 * long, else {@value #EMBEDDING_DIMENSIONS}), as floats or, for {@code encoding_format: base64},
 * little-endian float32s in base64, and {@code usage.prompt_tokens} of one token per input word.
 * Thread-safe.
 */
public final class FakeOpenAi extends FakeUpstream {
    /** The size of the fake's vectors when the request does not ask for {@code dimensions}. */
    public static final int EMBEDDING_DIMENSIONS = 8;

    /** Replies whose chunks are whole SSE payloads to send as they are (see {@link #verbatimStream}). */
    private final Set<Reply> verbatim = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));

    public FakeOpenAi() {
        super("/v1/chat/completions", "/v1/embeddings");
    }

    /**
     * A streamed reply of exactly these {@code data:} payloads, then {@code data: [DONE]}: for checking that a
     * relay passes every field of an upstream's chunks through. (A non-streamed verbatim answer is
     * {@link Reply#rawError} with status 200.)
     */
    public Reply verbatimStream(String... payloads) {
        Reply reply = Reply.text(payloads);
        verbatim.add(reply);
        return reply;
    }

    @Override
    public String type() {
        return "openai";
    }

    @Override
    public String baseUrl() {
        return origin() + "/v1";
    }

    /** The default reply: "echo(n): text" where n is the number of messages the request carried. */
    public static Reply echo(JsonNode body) {
        JsonNode messages = body.path("messages");
        String last = messages.path(messages.size() - 1).path("content").asText();
        return Reply.text("echo(" + messages.size() + "): ", last);
    }

    @Override
    protected Reply defaultReply(JsonNode body) {
        return echo(body);
    }

    @Override
    public String systemPromptOf(Recorded request) {
        JsonNode first = request.messages().getFirst();
        return first.path("role").asText().equals("system") ? first.path("content").asText() : null;
    }

    @Override
    public List<String> conversationOf(Recorded request) {
        return request.messages().stream().filter(m -> !m.path("role").asText().equals("system"))
                .map(m -> m.path("role").asText() + ": " + m.path("content").asText()).toList();
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
        String authorization = headers.get("authorization");
        return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
    }

    @Override
    protected String errorBody(int status, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", message).put("type", status == 429 ? "rate_limit_exceeded" : "invalid_request_error");
        return root.toString();
    }

    @Override
    protected JsonNode completion(JsonNode body, Reply reply) {
        if (body.has("input") && !body.has("messages")) {
            return embeddings(body, reply);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake").put("object", "chat.completion").put("model", body.path("model").asText());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", reply.joined());
        choice.put("finish_reason", "stop");
        if (reply.usage()) {
            root.putObject("usage").put("prompt_tokens", 11).put("completion_tokens", reply.chunks().size())
                    .put("total_tokens", 11 + reply.chunks().size());
        }
        return root;
    }

    @Override
    protected List<String> streamHead(JsonNode body, Reply reply) {
        return List.of();
    }

    @Override
    protected String streamChunk(JsonNode body, Reply reply, String text) {
        if (verbatim.contains(reply)) {
            return "data: " + text + "\n\n";
        }
        ObjectNode chunk = chunk(body);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("content", text);
        choice.putNull("finish_reason");
        return data(chunk);
    }

    @Override
    protected List<String> streamTail(JsonNode body, Reply reply) {
        if (verbatim.contains(reply)) {
            return List.of("data: [DONE]\n\n");
        }
        List<String> frames = new ArrayList<>();
        ObjectNode last = chunk(body);
        ObjectNode choice = last.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", "stop");
        frames.add(data(last));
        if (body.path("stream_options").path("include_usage").asBoolean(false) && reply.usage()) {
            ObjectNode usage = chunk(body);
            usage.putArray("choices");
            usage.putObject("usage").put("prompt_tokens", 11).put("completion_tokens", reply.chunks().size())
                    .put("total_tokens", 11 + reply.chunks().size());
            frames.add(data(usage));
        }
        frames.add("data: [DONE]\n\n");
        return frames;
    }

    @Override
    protected String streamError(int status, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", message).put("type", "server_error").put("code", status);
        return data(root);
    }

    /** OpenAI's embeddings response: a list of embeddings in input order, then model and usage. */
    private static JsonNode embeddings(JsonNode body, Reply reply) {
        JsonNode input = body.path("input");
        List<JsonNode> items = new ArrayList<>();
        if (input.isArray() && !input.path(0).isNumber()) {
            input.forEach(items::add);
        } else {
            items.add(input); // one string, or one token array
        }
        int dimensions = body.path("dimensions").asInt(EMBEDDING_DIMENSIONS);
        boolean base64 = body.path("encoding_format").asText("float").equals("base64");
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        int words = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            // A string's vector is that of its text; a token array's that of its JSON, e.g. "[9246,1234]".
            float[] vector = vectorOf(item.isTextual() ? item.textValue() : item.toString(), dimensions);
            ObjectNode embedding = data.addObject();
            embedding.put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(vector);
                embedding.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = embedding.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
            words += item.isTextual() ? item.textValue().split("\\s+").length : item.size();
        }
        root.put("model", body.path("model").asText());
        if (reply.usage()) {
            root.putObject("usage").put("prompt_tokens", words).put("total_tokens", words);
        }
        return root;
    }

    private static ObjectNode chunk(JsonNode body) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", "chatcmpl-fake").put("object", "chat.completion.chunk").put("model", body.path("model").asText());
        return chunk;
    }

    /** The message of a structured reply: {@code reasoning_content}, {@code content} (null when there is no text), {@code tool_calls}. */
    @Override
    protected JsonNode richCompletion(JsonNode body, Reply.Rich rich) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake").put("object", "chat.completion").put("created", 1_700_000_000L)
                .put("model", body.path("model").asText());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode calls = JSON.createArrayNode();
        for (Part part : rich.parts()) {
            switch (part) {
                case Part.Text t -> text.append(t.text());
                case Part.Reasoning r -> reasoning.append(r.text() == null ? "" : r.text());
                case Part.ToolCall c -> calls.addObject().put("id", c.id()).put("type", "function")
                        .putObject("function").put("name", c.name()).put("arguments", c.arguments());
                case Part.Image i -> throw new IllegalArgumentException("an answer holds no images");
            }
        }
        if (text.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", rich.finish().wire());
        if (rich.usage() != null) {
            root.set("usage", usage(rich.usage()));
        }
        return root;
    }

    /**
     * OpenAI's stream: a first chunk with the role, reasoning and text in pieces of at most 4 characters, each tool
     * call opened with its {@code index}, {@code id}, {@code type} and name (empty arguments), then its arguments in
     * fragments of at most 4 characters; a last choice chunk with the finish reason and an empty delta, the usage
     * chunk (empty {@code choices}) when {@code stream_options.include_usage} asks, and {@code [DONE]}.
     */
    @Override
    protected List<String> richStream(JsonNode body, Reply.Rich rich) {
        List<String> frames = new ArrayList<>();
        ObjectNode first = choiceChunk(body);
        first.withObject("/choices/0/delta").put("role", "assistant").put("content", "");
        frames.add(data(first));
        int toolIndex = 0;
        for (Part part : rich.parts()) {
            switch (part) {
                case Part.Text t -> pieces(t.text()).forEach(piece -> frames.add(delta(body, "content", piece)));
                case Part.Reasoning r -> pieces(r.text() == null ? "" : r.text()).forEach(piece -> frames.add(delta(body, "reasoning_content", piece)));
                case Part.ToolCall c -> {
                    ObjectNode open = choiceChunk(body);
                    open.withObject("/choices/0/delta").putArray("tool_calls").addObject().put("index", toolIndex)
                            .put("id", c.id()).put("type", "function")
                            .putObject("function").put("name", c.name()).put("arguments", "");
                    frames.add(data(open));
                    for (String fragment : pieces(c.arguments())) {
                        ObjectNode more = choiceChunk(body);
                        more.withObject("/choices/0/delta").putArray("tool_calls").addObject().put("index", toolIndex)
                                .putObject("function").put("arguments", fragment);
                        frames.add(data(more));
                    }
                    toolIndex++;
                }
                case Part.Image i -> throw new IllegalArgumentException("an answer holds no images");
            }
        }
        ObjectNode last = choiceChunk(body);
        ((ObjectNode) last.path("choices").path(0)).put("finish_reason", rich.finish().wire());
        frames.add(data(last));
        if (rich.usage() != null && body.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode usage = chunk(body);
            usage.putArray("choices");
            usage.set("usage", usage(rich.usage()));
            frames.add(data(usage));
        }
        frames.add("data: [DONE]\n\n");
        return frames;
    }

    @Override
    public Received received(Recorded request) {
        return OpenAiReceived.read(request.body());
    }

    private static String delta(JsonNode body, String field, String piece) {
        ObjectNode chunk = choiceChunk(body);
        chunk.withObject("/choices/0/delta").put(field, piece);
        return data(chunk);
    }

    private static ObjectNode choiceChunk(JsonNode body) {
        ObjectNode chunk = chunk(body);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return chunk;
    }

    /** OpenAI's usage object; a detail without an OpenAI field (Anthropic's cache creation) is left out. */
    private static ObjectNode usage(TokenUsage usage) {
        ObjectNode node = JSON.createObjectNode();
        node.put("prompt_tokens", usage.promptTokens()).put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.promptTokens() + usage.completionTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedPromptTokens()).put("audio_tokens", 0);
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens()).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return node;
    }

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 4) {
            pieces.add(text.substring(i, Math.min(text.length(), i + 4)));
        }
        return pieces;
    }
}
