package io.chatai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fake OpenAI chat-completions server on loopback, speaking the real wire format (JSON and SSE with
 * {@code data: [DONE]}). It records every request and answers with a scripted {@link Reply}: by default
 * an echo of the last user message that also states how many messages it saw. Thread-safe.
 */
public final class FakeOpenAi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Writes \\uXXXX escapes, so a delta holding half a surrogate pair travels as OpenAI would send it. */
    private static final ObjectMapper ESCAPING = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final WebServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger closedEarly = new AtomicInteger();
    private volatile Function<JsonNode, Reply> script = FakeOpenAi::echo;
    private volatile long lastDisconnectNanos;

    /** One recorded call: its body and headers of interest. */
    public record Recorded(JsonNode body, String authorization) {
        public List<JsonNode> messages() {
            return body.path("messages").valueStream().toList();
        }
    }

    public FakeOpenAi() {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(r -> r.post("/v1/chat/completions", this::handle))
                .build()
                .start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    /** Answers every following call with the script's reply for its request body. */
    public void script(Function<JsonNode, Reply> script) {
        this.script = script;
    }

    public void always(Reply reply) {
        this.script = body -> reply;
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public int calls() {
        return calls.get();
    }

    /** How many streams the client (our server) closed before the fake finished writing them. */
    public int closedEarly() {
        return closedEarly.get();
    }

    public long lastDisconnectNanos() {
        return lastDisconnectNanos;
    }

    /** The default reply: "echo(n): text" where n is the number of messages the request carried. */
    public static Reply echo(JsonNode body) {
        JsonNode messages = body.path("messages");
        String last = messages.path(messages.size() - 1).path("content").asText();
        return Reply.text("echo(" + messages.size() + "): ", last);
    }

    private void handle(ServerRequest req, ServerResponse res) throws Exception {
        JsonNode body = JSON.readTree(req.content().inputStream());
        calls.incrementAndGet();
        requests.add(new Recorded(body, req.headers().first(HeaderNames.AUTHORIZATION).orElse(null)));
        Reply reply = script.apply(body);
        if (reply.hang()) {
            Thread.sleep(Duration.ofMinutes(10));
            return;
        }
        sleep(reply.firstByte());
        if (reply.status() != 200) {
            res.status(reply.status());
            if (reply.retryAfter() != null) {
                res.header("Retry-After", reply.retryAfter());
            }
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(reply.errorBody() == null ? "{}" : reply.errorBody());
            return;
        }
        if (body.path("stream").asBoolean(false)) {
            stream(body, reply, res);
        } else {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(JSON.writeValueAsBytes(completion(body, reply)));
        }
    }

    private void stream(JsonNode body, Reply reply, ServerResponse res) throws IOException {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        try (OutputStream out = res.outputStream()) {
            for (int i = 0; i < reply.chunks().size(); i++) {
                if (i > 0) {
                    sleep(reply.gap());
                }
                ObjectNode chunk = JSON.createObjectNode();
                chunk.put("id", "chatcmpl-fake").put("object", "chat.completion.chunk").put("model", body.path("model").asText());
                ObjectNode choice = chunk.putArray("choices").addObject();
                choice.put("index", 0);
                choice.putObject("delta").put("content", reply.chunks().get(i));
                choice.putNull("finish_reason");
                write(out, "data: " + ESCAPING.writeValueAsString(chunk) + "\n\n");
            }
            if (!reply.endMarker()) {
                return; // the connection just ends: a broken stream
            }
            ObjectNode last = JSON.createObjectNode();
            last.put("id", "chatcmpl-fake").put("object", "chat.completion.chunk");
            ObjectNode choice = last.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("delta");
            choice.put("finish_reason", "stop");
            write(out, "data: " + JSON.writeValueAsString(last) + "\n\n");
            if (includeUsage && reply.usage()) {
                ObjectNode usage = JSON.createObjectNode();
                usage.put("id", "chatcmpl-fake").put("object", "chat.completion.chunk");
                usage.putArray("choices");
                usage.putObject("usage").put("prompt_tokens", 11).put("completion_tokens", reply.chunks().size())
                        .put("total_tokens", 11 + reply.chunks().size());
                write(out, "data: " + JSON.writeValueAsString(usage) + "\n\n");
            }
            write(out, "data: [DONE]\n\n");
        } catch (IOException | RuntimeException e) {
            closedEarly.incrementAndGet();
            lastDisconnectNanos = System.nanoTime();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode completion(JsonNode body, Reply reply) {
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

    private static void sleep(Duration duration) {
        if (!duration.isZero()) {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
