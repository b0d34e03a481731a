package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/channels}: defaults, write-only keys, merge on PUT, the test call. */
class ChannelApiIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(upstream);
    static final Api api = server.admin();

    @Test
    void should_create_a_channel_with_defaults_and_never_show_its_keys() {
        Api.Response created = api.post("/api/channels", Map.of("name", "main", "type", "openai", "baseUrl", upstream.baseUrl(),
                "apiKeys", List.of("sk-live-secret-key-1234abcd"), "headers", Map.of("X-Org", "org-secret-value-9876")));

        assertThat(created.status()).isEqualTo(201);
        JsonNode channel = created.data();
        assertThat(channel.path("id").asText()).startsWith("ch_");
        assertThat(channel.path("priority").asInt()).isZero();
        assertThat(channel.path("weight").asInt()).isEqualTo(1);
        assertThat(channel.path("enabled").asBoolean()).isTrue();
        assertThat(channel.path("timeoutMs").asInt()).isEqualTo(60000);
        assertThat(channel.path("models")).extracting(JsonNode::asText).containsExactly("*");
        assertThat(channel.path("apiKeys").path(0).asText()).isEqualTo("sk-…abcd");
        assertThat(channel.path("headers").path("X-Org").asText()).isEqualTo("…9876");
        assertThat(channel.path("state").asText()).isEqualTo("healthy");
        String listed = api.get("/api/channels").body() + api.get("/api/channels/" + channel.path("id").asText()).body();
        assertThat(listed).doesNotContain("sk-live-secret-key-1234abcd").doesNotContain("org-secret-value-9876");
        api.delete("/api/channels/" + channel.path("id").asText());
    }

    @Test
    void should_merge_on_put_keeping_masked_keys() {
        String id = api.post("/api/channels", Map.of("name", "merge-me", "type", "openai", "baseUrl", upstream.baseUrl(),
                "apiKeys", List.of("sk-first-key-0000aaaa", "sk-second-key-0000bbbb"))).data().path("id").asText();

        Api.Response renamed = api.put("/api/channels/" + id, Map.of("name", "renamed", "priority", 5));
        assertThat(renamed.data().path("name").asText()).isEqualTo("renamed");
        assertThat(renamed.data().path("priority").asInt()).isEqualTo(5);
        assertThat(renamed.data().path("apiKeys")).extracting(JsonNode::asText).containsExactly("sk-…aaaa", "sk-…bbbb");

        // Sending the masked list back without the second key removes only that key, and adds a new one.
        Api.Response rotated = api.put("/api/channels/" + id, Map.of("apiKeys", List.of("sk-…aaaa", "sk-third-key-0000cccc")));
        assertThat(rotated.data().path("apiKeys")).extracting(JsonNode::asText).containsExactly("sk-…aaaa", "sk-…cccc");

        upstream.always(Reply.text("OK"));
        api.post("/api/channels/" + id + "/test", Map.of());
        assertThat(upstream.requests().getLast().authorization()).isEqualTo("Bearer sk-first-key-0000aaaa");
        upstream.script(FakeOpenAi::echo);
        api.delete("/api/channels/" + id);
    }

    @Test
    void should_test_a_channel_and_report_latency_or_the_error() {
        String id = api.post("/api/channels", Map.of("name", "tested", "type", "openai", "baseUrl", upstream.baseUrl(),
                "models", List.of("gpt-4o-mini"), "apiKeys", List.of("sk-test-key-00001111"))).data().path("id").asText();
        upstream.always(Reply.text("OK"));
        JsonNode ok = api.post("/api/channels/" + id + "/test", Map.of()).data();
        upstream.always(Reply.status(401, "Incorrect API key provided: sk-test-key-00001111"));
        Api.Response failed = api.post("/api/channels/" + id + "/test", Map.of());
        upstream.script(FakeOpenAi::echo);

        assertThat(ok.path("ok").asBoolean()).isTrue();
        assertThat(ok.path("latencyMs").asLong()).isNotNegative();
        assertThat(ok.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.data().path("ok").asBoolean()).isFalse();
        assertThat(failed.data().path("error").asText()).contains("401").doesNotContain("sk-test-key-00001111");
        api.delete("/api/channels/" + id);
    }

    @Test
    void should_refuse_invalid_channels() {
        assertThat(api.post("/api/channels", Map.of("name", "x", "type", "carrier-pigeon")).status()).isEqualTo(400);
        assertThat(api.post("/api/channels", Map.of("type", "openai")).status()).isEqualTo(400);
        assertThat(api.post("/api/channels", Map.of("name", "x", "type", "openai", "baseUrl", "ftp://host")).status()).isEqualTo(400);
        assertThat(api.post("/api/channels", Map.of("name", "x", "type", "openai", "weight", 0)).status()).isEqualTo(400);
        assertThat(api.post("/api/channels", Map.of("name", "x", "type", "openai", "models", List.of())).status()).isEqualTo(400);
        assertThat(api.post("/api/channels", Map.of("name", "x", "type", "openai", "apiKeys", "sk-not-a-list")).status()).isEqualTo(400);
        assertThat(api.post("/api/channels", Map.of("name", "x", "type", "openai", "headers", Map.of("Host", "evil"))).status()).isEqualTo(400);
        Api.Response missing = api.get("/api/channels/ch_missing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void should_default_validate_merge_and_store_the_total_timeout() {
        Path dataDir = TestServer.newDataDir();
        String id;
        try (TestServer fresh = TestServer.start(dataDir, Map.of())) {
            Api admin = fresh.admin();
            JsonNode created = admin.post("/api/channels", Map.of("name", "bounded", "type", "openai", "baseUrl", upstream.baseUrl())).data();
            id = created.path("id").asText();
            assertThat(created.path("totalTimeoutMs").asInt()).isEqualTo(600_000);

            assertThat(admin.put("/api/channels/" + id, Map.of("totalTimeoutMs", 90_000)).data().path("totalTimeoutMs").asInt()).isEqualTo(90_000);
            JsonNode renamed = admin.put("/api/channels/" + id, Map.of("name", "still-bounded")).data();
            assertThat(renamed.path("totalTimeoutMs").asInt()).as("PUT merges").isEqualTo(90_000);
            for (Object bad : List.of(0, -5, "600000", 1.5)) {
                Api.Response refused = admin.put("/api/channels/" + id, Map.of("totalTimeoutMs", bad));
                assertThat(refused.status()).as(String.valueOf(bad)).isEqualTo(400);
                assertThat(refused.json().path("error").asText()).startsWith("totalTimeoutMs must be");
            }
        }
        try (TestServer again = TestServer.start(dataDir, Map.of())) {
            assertThat(again.admin().get("/api/channels/" + id).data().path("totalTimeoutMs").asInt()).as("stored").isEqualTo(90_000);
        }
    }

    @Test
    void should_encrypt_keys_at_rest_when_a_secret_is_set() throws Exception {
        Path dataDir = TestServer.newDataDir();
        try (TestServer secured = TestServer.start(dataDir, Map.of("CHATAI_SECRET_KEY", "a-long-enough-secret-for-tests"))) {
            secured.admin().post("/api/channels", Map.of("name", "enc", "type", "openai", "baseUrl", upstream.baseUrl(),
                    "apiKeys", List.of("sk-plaintext-must-not-appear-42"), "headers", Map.of("X-Token", "header-secret-value-77")));
        }
        String stored = TestDatabases.dumpTable(dataDir, "channels");
        assertThat(stored).contains("enc:v1:").doesNotContain("sk-plaintext-must-not-appear-42").doesNotContain("header-secret-value-77");
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : files.toList()) {
                String content = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(content).as(file.toString()).doesNotContain("sk-plaintext-must-not-appear-42").doesNotContain("header-secret-value-77");
            }
        }
        try (TestServer again = TestServer.start(dataDir, Map.of("CHATAI_SECRET_KEY", "a-long-enough-secret-for-tests"))) {
            upstream.always(Reply.text("OK"));
            String id = again.admin().get("/api/channels").data().path(0).path("id").asText();
            assertThat(again.admin().post("/api/channels/" + id + "/test", Map.of()).data().path("ok").asBoolean()).isTrue();
            assertThat(upstream.requests().getLast().authorization()).isEqualTo("Bearer sk-plaintext-must-not-appear-42");
            upstream.script(FakeOpenAi::echo);
        }
    }
}
