package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conversations, presets and channels live in the data directory and survive a restart. */
class RestartIT {

    @Test
    void should_keep_conversations_presets_and_channels_across_a_restart() throws Exception {
        Path dataDir = TestServer.newDataDir();
        String conversation;
        try (FakeOpenAi upstream = new FakeOpenAi()) {
            try (TestServer first = TestServer.start(dataDir, Map.of())) {
                first.addChannel(upstream);
                first.admin().post("/api/presets", Map.of("id", "kept", "name", "Kept", "systemPrompt", "I persist."));
                conversation = first.admin().post("/api/chat", Map.of("message", "remember me", "userId", "restarter", "preset", "kept"))
                        .data().path("conversationId").asText();
            }
            if (!TestDatabases.postgresql()) {
                assertThat(Files.exists(dataDir.resolve("chatai.db"))).isTrue();
            }

            try (TestServer second = TestServer.start(dataDir, Map.of())) {
                Api api = second.admin();
                JsonNode stored = api.get("/api/conversations/" + conversation).data();
                assertThat(stored.path("messages")).extracting(m -> m.path("content").asText())
                        .containsExactly("remember me", "echo(2): remember me");
                assertThat(api.get("/api/presets/kept").data().path("systemPrompt").asText()).isEqualTo("I persist.");
                assertThat(api.get("/api/channels").data()).hasSize(1);

                Api.Response next = api.post("/api/chat", Map.of("message", "still there?", "userId", "restarter", "preset", "kept"));
                assertThat(next.data().path("conversationId").asText()).isEqualTo(conversation);
                assertThat(next.data().path("response").asText()).isEqualTo("echo(4): still there?");
            }
        }
    }

    @Test
    void should_generate_the_admin_key_once_and_keep_it_owner_only() throws Exception {
        Path dataDir = TestServer.newDataDir();
        Map<String, String> noAdminKey = Map.of("CHATAI_ADMIN_KEY", "");
        String key;
        try (TestServer first = TestServer.start(dataDir, noAdminKey)) {
            Path file = dataDir.resolve("admin.key");
            key = Files.readString(file).strip();
            assertThat(key).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            assertThat(first.as(key).get("/api/presets").status()).isEqualTo(200);
        }
        try (TestServer second = TestServer.start(dataDir, noAdminKey)) {
            assertThat(Files.readString(dataDir.resolve("admin.key")).strip()).isEqualTo(key);
            assertThat(second.as(key).get("/api/presets").status()).isEqualTo(200);
            assertThat(second.as(TestServer.ADMIN_KEY).get("/api/presets").status()).isEqualTo(401);
        }
    }
}
