package harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import json.JsonReader;
import report.Rows;

/**
 * Talks to the ChatAI under test: sets it up for the bench (a channel to the fake upstream, a client key, the
 * {@code bench-full} preset, one checked turn) and reads its heap in use from {@code /metrics}, optionally after
 * a full GC. Thread-safe (the JDK's HttpClient).
 */
public final class ChataiClient {
    private final BenchOptions cfg;
    private final Proc chatai;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public ChataiClient(BenchOptions cfg, Proc chatai) {
        this.cfg = cfg;
        this.chatai = chatai;
    }

    /** Adds the channel, the client key and the preset, checks one turn answers through the fake, and returns the client key. */
    public String setUp(String adminKey, int fakePort) throws Exception {
        String base = "http://127.0.0.1:" + chatai.port();
        String channel = post(base + "/api/channels", adminKey, "{\"name\":\"fake\",\"type\":\"openai\",\"baseUrl\":\"http://127.0.0.1:" + fakePort
                + "/v1\",\"apiKeys\":[\"sk-x\"],\"models\":[\"*\"]}");
        if (!channel.contains("\"success\":true")) {
            throw new IllegalStateException("could not add the channel: " + channel);
        }
        String key = post(base + "/api/keys", adminKey, "{\"name\":\"bench\"}");
        String clientKey = (String) Rows.path(JsonReader.parse(key), "data", "key");
        if (clientKey == null) {
            throw new IllegalStateException("could not create a client key: " + key);
        }
        String preset = post(base + "/api/presets", adminKey, "{\"id\":\"bench-full\",\"name\":\"bench: whole history\","
                + "\"maxContextMessages\":10000,\"maxContextTokens\":10000000}");
        if (!preset.contains("\"success\":true")) {
            throw new IllegalStateException("could not create the bench-full preset: " + preset);
        }
        String check = post(base + "/api/chat", clientKey, "{\"message\":\"hello\",\"userId\":\"setup\"}");
        if (!check.contains("lorem")) {
            throw new IllegalStateException("ChatAI does not answer through the fake upstream: " + check);
        }
        return clientKey;
    }

    /**
     * ChatAI's live heap: a full GC ({@code jcmd GC.run}), then the heap in use. Taken only at idle and when
     * every stream is open (after all first tokens, so it cannot touch the time to first token).
     */
    public double liveHeapMb() {
        if (!cfg.liveHeap) {
            return heapUsedMb();
        }
        String jcmd = Path.of(cfg.java).resolveSibling("jcmd").toString();
        Processes.command(List.of(jcmd, String.valueOf(chatai.pid()), "GC.run"));
        return heapUsedMb();
    }

    /** The heap in use (garbage included) summed over the heap pools of {@code /metrics}, NaN when unreadable. */
    public double heapUsedMb() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chatai.port() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum / 1024 / 1024;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private String post(String url, String key, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
