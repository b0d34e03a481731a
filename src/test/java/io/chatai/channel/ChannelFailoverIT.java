package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.MutableClock;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failover and cooldown through the real server: a preferred OpenAI-type channel that misbehaves in
 * each way an upstream can, and a backup Anthropic-type channel that works. The server's clock is moved
 * by hand, so cooldowns are observed without waiting for them.
 */
class ChannelFailoverIT {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    static final FakeOpenAi preferred = new FakeOpenAi();
    static final FakeAnthropic backup = new FakeAnthropic();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults()
            .withEnv("CHATAI_COOLDOWN_AFTER", "1") // cools at the first failure, so each failure shows at once what it does
            .withClock(clock).withUpstream(preferred).withUpstream(backup);
    static final Api api = server.admin();
    String preferredId;

    @BeforeEach
    void freshChannels() {
        preferred.resetScript();
        backup.resetScript();
        server.deleteChannels();
        preferredId = server.addChannel(preferred, Map.of("name", "preferred", "priority", 10, "timeoutMs", 300));
        server.addChannel(backup, Map.of("name", "backup", "priority", 0));
    }

    static Api.Response chat() {
        return api.post("/api/chat", Map.of("message", "hello", "userId", "f" + System.nanoTime()));
    }

    static JsonNode channel(String id) {
        return api.get("/api/channels/" + id).data();
    }

    @Test
    void should_fail_over_when_the_preferred_channel_returns_500() {
        int before = preferred.calls();
        preferred.always(Reply.status(500, "internal error"));

        Api.Response response = chat();

        assertThat(preferred.calls() - before).isEqualTo(1);
        assertThat(response.status()).isEqualTo(200);
        assertThat(channel(preferredId).path("state").asText()).isEqualTo("cooling");
    }

    @Test
    void should_fail_over_when_the_preferred_channel_returns_429_and_honour_its_retry_after() {
        int before = preferred.calls();
        preferred.always(Reply.status(429, "rate limit reached").withRetryAfter("120"));

        Api.Response response = chat();

        assertThat(response.status()).isEqualTo(200);
        assertThat(preferred.calls() - before).isEqualTo(1);
        JsonNode state = channel(preferredId);
        assertThat(state.path("state").asText()).isEqualTo("cooling");
        assertThat(state.path("coolingUntil").asLong() - clock.millis()).isEqualTo(120_000);
    }

    @Test
    void should_fail_over_when_the_preferred_channel_hangs_past_its_timeout() {
        int before = preferred.calls();
        preferred.always(Reply.hanging());
        long started = System.nanoTime();

        Api.Response response = chat();

        assertThat(response.status()).isEqualTo(200);
        assertThat(preferred.calls() - before).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(channel(preferredId).path("state").asText()).isEqualTo("cooling");
    }

    @Test
    void should_fail_over_when_the_preferred_channel_does_not_have_the_model_without_cooling_it() {
        int before = preferred.calls();
        preferred.always(Reply.status(404, "The model `gpt-4o-mini` does not exist"));

        assertThat(chat().status()).isEqualTo(200);
        assertThat(chat().status()).isEqualTo(200);

        assertThat(preferred.calls() - before).as("known missing: not asked again").isEqualTo(1);
        assertThat(channel(preferredId).path("state").asText()).isEqualTo("healthy");
    }

    @Test
    void should_fail_a_request_the_upstream_refuses_as_model_error_without_failover() {
        preferred.always(Reply.status(400, "max_tokens is too large"));
        int backupBefore = backup.calls();

        Api.Response response = chat();

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().path("code").asText()).isEqualTo("MODEL_ERROR");
        assertThat(response.json().path("details").path("status").asInt()).isEqualTo(400);
        assertThat(backup.calls()).isEqualTo(backupBefore);
        assertThat(channel(preferredId).path("state").asText()).isEqualTo("healthy");
    }

    @Test
    void should_answer_503_listing_what_was_tried_by_name_and_never_a_key() {
        server.deleteChannels();
        server.addChannel(preferred, Map.of("name", "one", "apiKeys", java.util.List.of("sk-first-secret-0001")));
        server.addChannel(preferred, Map.of("name", "two", "apiKeys", java.util.List.of("sk-second-secret-0002")));
        preferred.scriptRequests(r -> Reply.status(503, "overloaded for key " + r.apiKey()));

        Api.Response response = chat();

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().path("code").asText()).isEqualTo("CHANNEL_UNAVAILABLE");
        JsonNode tried = response.json().path("details").path("tried");
        assertThat(tried.findValuesAsText("channel")).containsExactlyInAnyOrder("one", "two");
        assertThat(tried.findValuesAsText("error")).allMatch(e -> e.contains("server error (503)"));
        assertThat(response.header("Retry-After")).isEqualTo("30");
        assertThat(response.body()).doesNotContain("sk-first-secret-0001").doesNotContain("sk-second-secret-0002");
    }
}
