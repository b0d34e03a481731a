package io.chatai.testing;

import io.chatai.server.ChatAiServer;
import io.chatai.server.Main;
import io.chatai.config.Config;
import io.chatai.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Starts the real server in-process on a free loopback port with its own data directory. */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_KEY = "test-admin-key-0123456789abcdef0123";

    private final ChatAiServer server;
    private final Path dataDir;
    private final Api admin;

    private TestServer(ChatAiServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
        this.admin = new Api(baseUrl(), ADMIN_KEY);
    }

    public static TestServer start() {
        return start(Map.of());
    }

    public static TestServer start(Map<String, String> env) {
        return start(newDataDir(), env);
    }

    /** Starts on the given data directory (e.g. again after a restart). */
    public static TestServer start(Path dataDir, Map<String, String> env) {
        return start(dataDir, env, Clock.systemDefaultZone());
    }

    public static TestServer start(Path dataDir, Map<String, String> env, Clock clock) {
        Map<String, String> all = new HashMap<>();
        all.put("CHATAI_PORT", "0");
        all.put("CHATAI_DATA_DIR", dataDir.toString());
        all.put("CHATAI_ADMIN_KEY", ADMIN_KEY);
        // Tests that are not about limits must not trip over them; the limit tests set their own.
        all.put("CHATAI_RATE_LIMIT_PER_MINUTE", "0");
        all.put("CHATAI_USER_RATE_LIMIT_PER_MINUTE", "0");
        all.putAll(TestDatabases.environmentFor(dataDir));
        all.putAll(env);
        Config config = ConfigLoader.load(all);
        return new TestServer(Main.start(config, clock), dataDir);
    }

    public static Path newDataDir() {
        try {
            return Files.createTempDirectory("chatai-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The server's loaded local models, to hold a sequence busy in a test. */
    public io.chatai.provider.llama.LlamaModels localModels() {
        return server.localModels();
    }

    /** What runs the tool servers' tools, as the turn's tool loop calls it. */
    public io.chatai.tool.ToolExecutor tools() {
        return server.tools();
    }

    /** A client authenticated with the admin key. */
    public Api admin() {
        return admin;
    }

    /** A client with the given key (or none, for null). */
    public Api as(String key) {
        return new Api(baseUrl(), key);
    }

    /** Creates a client key and returns its secret. */
    public String createKey(String name, String userId, Integer rateLimitPerMinute) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        if (userId != null) {
            body.put("userId", userId);
        }
        if (rateLimitPerMinute != null) {
            body.put("rateLimitPerMinute", rateLimitPerMinute);
        }
        return admin.post("/api/keys", body).data().path("key").asText();
    }

    /** Waits until every usage record of calls made so far is in the database. */
    public void flushUsage() {
        server.usage().flush(java.time.Duration.ofSeconds(10));
    }

    /** Adds a channel of the fake's type serving every model through it; returns its id. */
    public String addChannel(FakeUpstream fake) {
        return addChannel(fake, Map.of());
    }

    /** Adds a channel for the fake with these fields over the defaults (name, one key, every model); returns its id. */
    public String addChannel(FakeUpstream fake, Map<String, ?> fields) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "fake-" + fake.type() + "-" + fake.baseUrl().hashCode());
        body.put("type", fake.type());
        body.put("baseUrl", fake.baseUrl());
        body.put("apiKeys", java.util.List.of("sk-test-0123456789"));
        body.putAll(fields);
        Api.Response created = admin.post("/api/channels", body);
        if (created.status() != 201) {
            throw new AssertionError("channel not created: " + created.body());
        }
        return created.data().path("id").asText();
    }

    /** Deletes every channel, so no cooldown or refused key of an earlier test remains. */
    public void deleteChannels() {
        for (var channel : admin.get("/api/channels").data()) {
            admin.delete("/api/channels/" + channel.path("id").asText());
        }
    }

    /** Replaces every channel by one fresh channel for the fake. */
    public String resetChannels(FakeUpstream fake) {
        deleteChannels();
        return addChannel(fake);
    }

    @Override
    public void close() {
        server.close();
    }
}
