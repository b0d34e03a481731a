package io.chatai.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Usage records of every upstream call and the totals of {@code /api/stats/usage}. */
class UsageIT {
    final FakeOpenAi upstream = new FakeOpenAi();
    /** On an instance field: a fresh server (and database) for each test. */
    @RegisterExtension
    final TestServerExtension server = TestServerExtension.withDefaults().withChannelFor(upstream);
    final Api admin = server.admin();

    private JsonNode stats(Api api, String query) {
        server.flushUsage();
        Api.Response response = api.get("/api/stats/usage" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.data();
    }

    @Test
    void should_add_up_usage_exactly_over_several_turns_and_calls() {
        upstream.always(Reply.text("one", "two"));         // usage reported: 11 prompt, 2 completion
        for (int i = 0; i < 3; i++) {
            admin.post("/api/chat", Map.of("message", "turn " + i, "userId", "alice", "groupId", "g1"));
        }
        admin.stream("/api/chat/stream", Map.of("message", "streamed", "userId", "alice", "groupId", "g2"));
        for (int i = 0; i < 2; i++) {
            admin.post("/v1/chat/completions", Map.of("model", "gpt-4.1", "user", "bob",
                    "messages", List.of(Map.of("role", "user", "content", "hi"))));
        }

        JsonNode all = stats(admin, "").path("totals");
        assertThat(all.path("requests").asLong()).isEqualTo(6);
        assertThat(all.path("failures").asLong()).isZero();
        assertThat(all.path("promptTokens").asLong()).isEqualTo(66);
        assertThat(all.path("completionTokens").asLong()).isEqualTo(12);
        assertThat(all.path("totalTokens").asLong()).isEqualTo(78);

        JsonNode byUser = stats(admin, "?groupBy=user").path("groups");
        assertThat(byUser).extracting(g -> g.path("key").asText() + "=" + g.path("requests").asLong() + "/" + g.path("totalTokens").asLong())
                .containsExactly("alice=4/52", "bob=2/26");
        JsonNode byModel = stats(admin, "?groupBy=model").path("groups");
        assertThat(byModel).extracting(g -> g.path("key").asText() + "=" + g.path("requests").asLong())
                .containsExactly("gpt-4.1=2", "gpt-4o-mini=4");
        assertThat(stats(admin, "?groupBy=channel").path("groups")).hasSize(1);
        JsonNode byDay = stats(admin, "?groupBy=day").path("groups");
        assertThat(byDay).hasSize(1);
        assertThat(byDay.path(0).path("key").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(stats(admin, "?userId=alice&groupId=g1").path("totals").path("requests").asLong()).isEqualTo(3);
        assertThat(stats(admin, "?from=0&to=1").path("totals").path("requests").asLong()).isZero();
    }

    @Test
    void should_record_failed_attempts_and_estimated_usage() {
        FakeOpenAi broken = new FakeOpenAi();
        try {
            broken.always(Reply.status(500, "boom"));
            admin.post("/api/channels", Map.of("name", "broken-first", "type", "openai", "baseUrl", broken.baseUrl(), "priority", 10));
            upstream.always(Reply.text("Hello", " there").withoutUsage());

            Api.Response chat = admin.post("/api/chat", Map.of("message", "hi", "userId", "carol"));
            assertThat(chat.status()).isEqualTo(200);

            JsonNode totals = stats(admin, "").path("totals");
            assertThat(totals.path("requests").asLong()).isEqualTo(1);
            assertThat(totals.path("failures").asLong()).isEqualTo(1);
            assertThat(totals.path("completionTokens").asLong()).isEqualTo(chat.data().path("usage").path("completionTokens").asLong());
            assertThat(chat.data().path("usage").path("estimated").asBoolean()).isTrue();
            JsonNode byChannel = stats(admin, "?groupBy=channel").path("groups");
            assertThat(byChannel).extracting(g -> g.path("key").asText() + ":" + g.path("failures").asLong())
                    .contains("broken-first:1");
        } finally {
            broken.close();
        }
    }

    @Test
    void should_limit_a_bound_key_to_its_own_usage() {
        admin.post("/api/chat", Map.of("message", "a", "userId", "dave"));
        admin.post("/api/chat", Map.of("message", "b", "userId", "erin"));
        admin.post("/api/chat", Map.of("message", "c", "userId", "erin"));
        Api dave = server.as(server.createKey("dave's", "dave", null));

        assertThat(stats(dave, "").path("totals").path("requests").asLong()).isEqualTo(1);
        assertThat(stats(dave, "?userId=erin").path("totals").path("requests").asLong()).isZero();
        assertThat(stats(dave, "?groupBy=user").path("groups")).extracting(g -> g.path("key").asText()).containsExactly("dave");
        assertThat(stats(admin, "").path("totals").path("requests").asLong()).isEqualTo(3);
    }

    @Test
    void should_refuse_bad_stats_parameters() {
        assertThat(admin.get("/api/stats/usage?groupBy=week").status()).isEqualTo(400);
        assertThat(admin.get("/api/stats/usage?from=yesterday").status()).isEqualTo(400);
        assertThat(admin.get("/api/stats/usage?from=10&to=5").status()).isEqualTo(400);
    }
}
