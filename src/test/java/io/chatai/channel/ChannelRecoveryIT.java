package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.Api;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.MutableClock;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a channel leaves and rejoins rotation, through the real server: cooldown and half-open recovery,
 * refused keys, and weighted choice within a priority. The server's clock is moved by hand.
 */
class ChannelRecoveryIT {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    static final FakeOpenAi first = new FakeOpenAi();
    static final FakeGemini second = new FakeGemini();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults()
            .withEnv("CHATAI_COOLDOWN_AFTER", "1") // cools at the first failure, so each failure shows at once what it does
            .withClock(clock).withUpstream(first).withUpstream(second);
    static final Api api = server.admin();

    @BeforeEach
    void fresh() {
        first.resetScript();
        second.resetScript();
        server.deleteChannels();
    }

    static int chat() {
        return api.post("/api/chat", Map.of("message", "hello", "userId", "r" + System.nanoTime())).status();
    }

    @Test
    void should_keep_a_dead_channel_from_being_called_on_every_request_and_recover_it_once_healed() {
        String dead = server.addChannel(first, Map.of("name", "dead", "priority", 10));
        server.addChannel(second, Map.of("name", "spare", "priority", 0));
        first.always(Reply.status(502, "bad gateway"));
        int before = first.calls();

        for (int i = 0; i < 10; i++) {
            assertThat(chat()).isEqualTo(200);
        }
        assertThat(first.calls() - before).as("one failure, then 30 s of cooling").isEqualTo(1);

        clock.advance(Duration.ofSeconds(30));
        for (int i = 0; i < 10; i++) {
            assertThat(chat()).isEqualTo(200);
        }
        assertThat(first.calls() - before).as("one probe, failed: 60 s more").isEqualTo(2);
        assertThat(api.get("/api/channels/" + dead).data().path("coolingUntil").asLong() - clock.millis()).isEqualTo(60_000);

        first.resetScript(); // healed
        clock.advance(Duration.ofSeconds(59));
        assertThat(chat()).isEqualTo(200);
        assertThat(first.calls() - before).as("still cooling").isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        int spareBefore = second.calls();
        for (int i = 0; i < 5; i++) {
            assertThat(chat()).isEqualTo(200);
        }
        assertThat(first.calls() - before).as("the probe succeeded and traffic came back").isEqualTo(7);
        assertThat(second.calls()).isEqualTo(spareBefore);
        assertThat(api.get("/api/channels/" + dead).data().path("state").asText()).isEqualTo("healthy");
    }

    @Test
    void should_take_a_bad_key_out_of_rotation_after_its_first_401_until_the_channel_is_edited() {
        String id = server.addChannel(first, Map.of("name", "keys", "apiKeys", List.of("sk-bad-key-00000001", "sk-good-key-0000002")));
        first.scriptRequests(r -> r.apiKey().equals("sk-bad-key-00000001")
                ? Reply.status(401, "Incorrect API key provided") : FakeOpenAi.echo(r.body()));
        int before = first.requests().size();

        for (int i = 0; i < 6; i++) {
            assertThat(chat()).isEqualTo(200);
        }

        List<String> keysUsed = first.requests().subList(before, first.requests().size()).stream().map(r -> r.apiKey()).toList();
        assertThat(keysUsed).filteredOn("sk-bad-key-00000001"::equals).hasSize(1);
        assertThat(keysUsed).filteredOn("sk-good-key-0000002"::equals).hasSize(6);
        assertThat(api.get("/api/channels/" + id).data().path("refusedKeys").asInt()).isEqualTo(1);
        assertThat(api.get("/api/channels/" + id).data().path("state").asText()).isEqualTo("healthy");

        api.put("/api/channels/" + id, Map.of("apiKeys", List.of("sk-…0001", "sk-…0002"))); // the operator fixed the key
        first.resetScript();
        int afterEdit = first.requests().size();
        chat();
        chat();
        assertThat(first.requests().subList(afterEdit, first.requests().size())).extracting(r -> r.apiKey())
                .contains("sk-bad-key-00000001");
    }

    @Test
    void should_take_a_gemini_key_refused_with_400_out_of_rotation_rather_than_fail_the_request() {
        server.addChannel(second, Map.of("name", "gemini", "apiKeys", List.of("AIza-wrong-key-000001", "AIza-right-key-000002")));
        second.scriptRequests(r -> r.apiKey().startsWith("AIza-wrong") ? FakeGemini.invalidKey() : Reply.text("fine"));

        for (int i = 0; i < 4; i++) {
            assertThat(chat()).isEqualTo(200);
        }
        assertThat(second.requests()).filteredOn(r -> r.apiKey().startsWith("AIza-wrong")).hasSize(1);
    }

    @Test
    void should_choose_channels_close_to_their_weights_within_a_priority() {
        server.addChannel(first, Map.of("name", "heavy", "weight", 3));
        server.addChannel(second, Map.of("name", "light", "weight", 1));
        server.addChannel(first, Map.of("name", "fallback", "priority", -1, "apiKeys", List.of("sk-fallback-never-used")));
        int heavyBefore = first.calls();
        int lightBefore = second.calls();
        int n = 600;

        for (int i = 0; i < n; i++) {
            assertThat(chat()).isEqualTo(200);
        }

        int heavy = first.calls() - heavyBefore;
        assertThat(heavy + second.calls() - lightBefore).isEqualTo(n);
        // 3:1 means 75 %; the bound is about 3.4 standard deviations of 600 draws.
        assertThat(heavy / (double) n).isCloseTo(0.75, Offset.offset(0.06));
        assertThat(first.requests()).noneMatch(r -> "sk-fallback-never-used".equals(r.apiKey()));
    }
}
