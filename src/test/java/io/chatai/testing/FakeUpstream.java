package io.chatai.testing;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fake LLM provider on loopback. This base plays a scripted {@link Reply} (statuses, delays, hangs,
 * stalls, broken streams, disconnect detection) and records every request; each subclass speaks one
 * provider's real wire format. By default it echoes the last user message and says how many messages
 * (system prompt included) it received. Thread-safe.
 */
public abstract class FakeUpstream implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();
    /** Writes \\uXXXX escapes, so a chunk holding half a surrogate pair travels as a provider would send it. */
    protected static final ObjectMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final WebServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger closedEarly = new AtomicInteger();
    private volatile Function<Recorded, Reply> script = recorded -> defaultReply(recorded.body());
    private volatile long lastDisconnectNanos;

    /**
     * One recorded call. Header names are lower case; {@code apiKey} is the key as the provider reads it;
     * {@code raw} is the body's text exactly as it arrived.
     */
    public record Recorded(String path, String query, Map<String, String> headers, JsonNode body, String model, String apiKey,
                           String raw) {
        public String authorization() {
            return headers.get("authorization");
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public List<JsonNode> messages() {
            return body.path("messages").valueStream().toList();
        }
    }

    /** @param routes the POST path patterns the provider serves, e.g. {@code /v1/messages} */
    protected FakeUpstream(String... routes) {
        server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> {
                    for (String route : routes) {
                        r.post(route, this::handle);
                    }
                })
                .build().start();
    }

    /**
     * A vector the fakes answer for a text: the same for the same text and size, different for others, so a
     * test can tell which input's vector came back where.
     */
    public static float[] vectorOf(String text, int dimensions) {
        float[] vector = new float[dimensions];
        int seed = text.hashCode();
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) Math.sin(seed * 0.001 + i);
        }
        return vector;
    }

    /** The channel {@code type} this fake speaks. */
    public abstract String type();

    /** The channel {@code baseUrl} that reaches this fake. */
    public abstract String baseUrl();

    protected abstract boolean streaming(ServerRequest req, JsonNode body);

    protected abstract String modelOf(ServerRequest req, JsonNode body);

    protected abstract String apiKeyOf(Map<String, String> headers);

    protected abstract Reply defaultReply(JsonNode body);

    protected abstract String errorBody(int status, String message);

    protected abstract JsonNode completion(JsonNode body, Reply reply);

    /** SSE frames before the first chunk, e.g. Anthropic's {@code message_start}. */
    protected abstract List<String> streamHead(JsonNode body, Reply reply);

    protected abstract String streamChunk(JsonNode body, Reply reply, String text);

    /** The end marker and whatever precedes it (finish reason, usage). */
    protected abstract List<String> streamTail(JsonNode body, Reply reply);

    /** How this provider reports a failure inside a 200 stream. */
    protected abstract String streamError(int status, String message);

    protected String origin() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Answers every following call with the script's reply for its request body. */
    public void script(Function<JsonNode, Reply> script) {
        this.script = recorded -> script.apply(recorded.body());
    }

    /** Answers every following call with the script's reply for the whole request (e.g. by its key). */
    public void scriptRequests(Function<Recorded, Reply> script) {
        this.script = script;
    }

    public void always(Reply reply) {
        this.script = recorded -> reply;
    }

    /** Back to the default echo. */
    public void resetScript() {
        this.script = recorded -> defaultReply(recorded.body());
    }

    /** The whole JSON answer for a structured reply, in this provider's wire format. */
    protected abstract JsonNode richCompletion(JsonNode body, Reply.Rich rich);

    /** Every SSE frame for a structured reply, end marker included, in this provider's wire format (see {@link Reply.Rich}). */
    protected abstract List<String> richStream(JsonNode body, Reply.Rich rich);

    /**
     * The request as this provider's wire format carried it, read back into neutral terms, so one contract
     * test can check every adapter (see {@link Received}).
     */
    public abstract Received received(Recorded request);

    /** The system prompt as this provider's request carried it, or null. */
    public abstract String systemPromptOf(Recorded request);

    /** The other messages as "role: text", roles spelled user/assistant whatever the wire says. */
    public abstract List<String> conversationOf(Recorded request);

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

    protected static String event(String name, Object data) {
        return "event: " + name + "\ndata: " + json(data) + "\n\n";
    }

    protected static String data(Object data) {
        return "data: " + json(data) + "\n\n";
    }

    private void handle(ServerRequest req, ServerResponse res) throws Exception {
        String raw = new String(req.content().inputStream().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode body = JSON.readTree(raw);
        calls.incrementAndGet();
        Map<String, String> headers = new TreeMap<>();
        req.headers().forEach(h -> headers.put(h.name().toLowerCase(Locale.ROOT), h.get()));
        Recorded recorded = new Recorded(req.path().path(), req.query().rawValue(), headers, body, modelOf(req, body), apiKeyOf(headers), raw);
        requests.add(recorded);
        Reply special = special(recorded);
        Reply reply = special != null ? special : script.apply(recorded);
        if (reply.hang()) {
            Thread.sleep(Duration.ofMinutes(10));
            return;
        }
        sleep(reply.firstByte());
        if (reply.status() != 200 || reply.errorBody() != null) {
            res.status(reply.status());
            if (reply.retryAfter() != null) {
                res.header("Retry-After", reply.retryAfter());
            }
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(reply.errorBody() != null ? reply.errorBody() : errorBody(reply.status(), reply.errorMessage()));
            return;
        }
        boolean stream = streaming(req, body);
        res.header(HeaderNames.CONTENT_TYPE, stream ? "text/event-stream" : "application/json");
        if (!stream && reply.fault() == Reply.Fault.ENDLESS_BODY) {
            try (OutputStream out = res.outputStream()) {
                write(out, "{\"text\": \"");
                endless(out, Duration.ZERO);
            } catch (IOException | RuntimeException e) {
                disconnected();
            }
            return;
        }
        if (!stream && !reply.stall()) {
            res.send(JSON.writeValueAsBytes(reply.rich() != null ? richCompletion(body, reply.rich()) : completion(body, reply)));
            return;
        }
        if (stream && reply.rich() != null) {
            try (OutputStream out = res.outputStream()) {
                for (String frame : richStream(body, reply.rich())) {
                    write(out, frame);
                }
            } catch (IOException | RuntimeException e) {
                disconnected();
            }
            return;
        }
        try (OutputStream out = res.outputStream()) {
            if (reply.stall()) {
                write(out, stream ? ": stalled\n\n" : " ");
                Thread.sleep(Duration.ofMinutes(10));
                return;
            }
            for (String frame : streamHead(body, reply)) {
                write(out, frame);
            }
            for (int i = 0; i < reply.chunks().size(); i++) {
                if (i > 0) {
                    sleep(reply.gap());
                }
                write(out, streamChunk(body, reply, reply.chunks().get(i)));
            }
            if (reply.streamError() != 0) {
                write(out, streamError(reply.streamError(), reply.errorMessage()));
                return;
            }
            switch (reply.fault()) {
                case ENDLESS_DELTAS -> {
                    String delta = "x".repeat(1000);
                    while (true) {
                        sleep(reply.gap());
                        write(out, streamChunk(body, reply, delta));
                    }
                }
                case ENDLESS_LINE -> {
                    write(out, "data: {\"text\": \"");
                    endless(out, reply.gap());
                }
                default -> {
                    // the tail below
                }
            }
            if (!reply.endMarker()) {
                return; // the connection just ends: a broken stream
            }
            List<String> tail = streamTail(body, reply);
            if (reply.fault() == Reply.Fault.NO_END_MARKER && endMarkerIsSeparate()) {
                tail = tail.subList(0, tail.size() - 1); // finish reason and usage, then the body just ends
            }
            for (String frame : tail) {
                write(out, frame);
            }
        } catch (IOException | RuntimeException e) {
            disconnected();
        }
    }

    /** The reply to a call outside the scripted chat (e.g. Anthropic's count_tokens), or null for the script's. */
    protected Reply special(Recorded request) {
        return null;
    }

    /**
     * Whether the end marker is a frame of its own after the finish reason ({@code [DONE]},
     * {@code message_stop}); Gemini's end marker is the chunk carrying the finish reason itself.
     */
    protected boolean endMarkerIsSeparate() {
        return true;
    }

    /**
     * The whole SSE body this fake streams for the reply (to a request for model "m"): the head, the
     * chunks and, unless the reply breaks off, the tail (without the end marker for
     * {@link Reply.Fault#NO_END_MARKER}). For serving it in framings of {@link RawUpstream}.
     */
    public String renderStream(Reply reply) {
        JsonNode body = JSON.createObjectNode().put("model", "m").put("stream", true);
        StringBuilder out = new StringBuilder();
        streamHead(body, reply).forEach(out::append);
        reply.chunks().forEach(chunk -> out.append(streamChunk(body, reply, chunk)));
        if (reply.endMarker()) {
            List<String> tail = streamTail(body, reply);
            if (reply.fault() == Reply.Fault.NO_END_MARKER && endMarkerIsSeparate()) {
                tail = tail.subList(0, tail.size() - 1);
            }
            tail.forEach(out::append);
        }
        return out.toString();
    }

    /** The whole JSON answer this fake sends for the reply to a non-streamed request for model "m". */
    public String renderCompletion(Reply reply) {
        return completion(JSON.createObjectNode().put("model", "m"), reply).toString();
    }

    private void disconnected() {
        closedEarly.incrementAndGet();
        lastDisconnectNanos = System.nanoTime();
    }

    /** Writes 'a's in 64 KiB blocks, {@code gap} apart, until the client closes the connection (which throws). */
    private static void endless(OutputStream out, Duration gap) throws IOException {
        byte[] block = new byte[64 * 1024];
        java.util.Arrays.fill(block, (byte) 'a');
        while (true) {
            sleep(gap);
            out.write(block);
            out.flush();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String json(Object data) {
        try {
            return ESCAPING.writeValueAsString(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
    public String toString() {
        return getClass().getSimpleName();
    }

    @Override
    public void close() {
        server.stop();
    }
}
