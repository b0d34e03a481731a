package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Keys are write-only: never in a response, never in a log line, never in plain text on disk once a secret is set. */
class SecretsIT {
    static final String KEY = "sk-ant-must-never-leak-7f3a9c";

    @Test
    void should_never_show_or_log_a_key_even_when_the_upstream_echoes_it() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        List<String> bodies = new ArrayList<>();
        try (FakeAnthropic upstream = new FakeAnthropic(); TestServer server = TestServer.start()) {
            Api api = server.admin();
            String id = server.addChannel(upstream, Map.of("name", "leaky", "apiKeys", List.of(KEY), "timeoutMs", 300));
            for (Reply reply : List.of(Reply.status(401, "invalid x-api-key " + KEY), Reply.status(500, "failed for " + KEY),
                    Reply.text("partial").failingMidStream(529, "overloaded for " + KEY), Reply.hanging())) {
                upstream.always(reply);
                api.put("/api/channels/" + id, Map.of("name", "leaky")); // an edit: fresh health, the key back in rotation
                bodies.add(api.post("/api/chat", Map.of("message", "hi", "userId", "u1")).body());
                bodies.add(api.stream("/api/chat/stream", Map.of("message", "hi", "userId", "u2")).raw());
                bodies.add(api.post("/api/channels/" + id + "/test", Map.of()).body());
            }
            bodies.add(api.get("/api/channels").body());
            bodies.add(api.get("/api/channels/" + id).body());
            assertThat(upstream.requests()).extracting(r -> r.apiKey()).contains(KEY);
        } finally {
            root.detachAppender(logs);
        }

        assertThat(bodies).isNotEmpty().allSatisfy(body -> assertThat(body).doesNotContain(KEY));
        assertThat(logs.list).as("the failures were logged").anyMatch(e -> e.getFormattedMessage().contains("leaky"));
        for (ILoggingEvent event : logs.list) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(line).doesNotContain(KEY);
        }
    }

    @Test
    void should_encrypt_keys_stored_before_a_secret_was_set_when_one_is_introduced() throws IOException {
        Path dataDir = TestServer.newDataDir();
        try (FakeAnthropic upstream = new FakeAnthropic()) {
            try (TestServer plain = TestServer.start(dataDir, Map.of())) {
                plain.addChannel(upstream, Map.of("name", "old", "apiKeys", List.of(KEY), "headers", Map.of("X-Org", "org-secret-value-31")));
            }
            assertThat(filesContaining(dataDir, KEY)).as("without a secret, stored as is").isNotEmpty();

            Map<String, String> secret = Map.of("CHATAI_SECRET_KEY", "a-long-enough-secret-for-tests");
            try (TestServer sealed = TestServer.start(dataDir, secret)) {
                upstream.always(Reply.text("OK"));
                String id = sealed.admin().get("/api/channels").data().path(0).path("id").asText();
                assertThat(sealed.admin().post("/api/channels/" + id + "/test", Map.of()).data().path("ok").asBoolean()).isTrue();
                assertThat(upstream.requests().getLast().apiKey()).isEqualTo(KEY);
            }
        }

        assertThat(filesContaining(dataDir, KEY)).isEmpty();
        assertThat(filesContaining(dataDir, "org-secret-value-31")).isEmpty();
    }

    /** Files of the data directory holding the secret; on PostgreSQL the channels table counts as one more. */
    private static List<Path> filesContaining(Path dir, String secret) throws IOException {
        if (TestDatabases.postgresql() && TestDatabases.dumpTable(dir, "channels").contains(secret)) {
            return List.of(Path.of("postgresql:channels"));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                try {
                    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(secret);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
