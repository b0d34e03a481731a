package io.chatai.testing;

import io.chatai.ChatAiServer;
import io.chatai.Main;
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
    public io.chatai.provider.local.LocalModels localModels() {
        return (io.chatai.provider.local.LocalModels) server.localModels();
    }

    /** A client authenticated with the admin key. */
    public Api admin() {
        return admin;
    }

    /** A client with the given key (or none, for null). */
    public Api as(String key) {
        return new Api(baseUrl(), key);
    }

    /** Adds an openai channel serving every model through the fake; returns its id. */
    public String addChannel(FakeOpenAi fake) {
        return admin.post("/api/channels", Map.of("name", "fake-" + fake.baseUrl().hashCode(), "type", "openai",
                "baseUrl", fake.baseUrl(), "apiKeys", java.util.List.of("sk-test-0123456789"))).json().path("data").path("id").asText();
    }

    /** Replaces every channel by one fresh channel for the fake, so no cooldown of an earlier test remains. */
    public String resetChannels(FakeOpenAi fake) {
        for (var channel : admin.get("/api/channels").data()) {
            admin.delete("/api/channels/" + channel.path("id").asText());
        }
        return addChannel(fake);
    }

    @Override
    public void close() {
        server.close();
    }
}
