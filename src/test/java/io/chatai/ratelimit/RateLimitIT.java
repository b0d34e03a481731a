package io.chatai.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.TestServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-key and per-user token buckets on the chat routes, with their headers, exact under concurrency. */
class RateLimitIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults()
            .withEnv("CHATAI_RATE_LIMIT_PER_MINUTE", "5").withEnv("CHATAI_USER_RATE_LIMIT_PER_MINUTE", "8").withChannelFor(upstream);

    private static Map<String, Object> chat(String user) {
        return Map.of("message", "hi", "userId", user);
    }

    @Test
    void should_limit_a_key_with_the_default_limit_and_count_down_in_headers() {
        Api bot = server.as(server.createKey("default-limited", null, null));
        String user = "u-" + System.nanoTime();
        for (int i = 1; i <= 5; i++) {
            Api.Response ok = bot.post("/api/chat", chat(user + i)); // distinct users: only the key bucket counts down
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("X-RateLimit-Limit")).isEqualTo("5");
            assertThat(ok.header("X-RateLimit-Remaining")).isEqualTo(String.valueOf(5 - i));
        }

        Api.Response limited = bot.post("/api/chat", chat(user));
        Api.Stream limitedStream = bot.stream("/api/chat/stream", chat(user));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(limitedStream.status()).isEqualTo(429);
    }

    @Test
    void should_use_a_keys_own_limit() {
        Api generous = server.as(server.createKey("generous", null, 7));
        for (int i = 0; i < 7; i++) {
            Api.Response ok = generous.post("/api/chat", chat("own-" + i + "-" + System.nanoTime()));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("X-RateLimit-Limit")).isEqualTo("7");
        }
        assertThat(generous.post("/api/chat", chat("own-last")).status()).isEqualTo(429);
    }

    @Test
    void should_limit_a_user_across_keys_and_show_the_tighter_bucket() {
        String user = "shared-user-" + System.nanoTime();
        List<Api> bots = List.of(server.as(server.createKey("a", null, 100)), server.as(server.createKey("b", null, 100)));
        for (int i = 0; i < 8; i++) {
            Api.Response ok = bots.get(i % 2).post("/api/chat", chat(user));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("X-RateLimit-Limit")).isEqualTo("8"); // user bucket: 8 - i left vs key: ~100
            assertThat(ok.header("X-RateLimit-Remaining")).isEqualTo(String.valueOf(7 - i));
        }
        Api.Response limited = bots.get(0).post("/api/chat", chat(user));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().path("details").path("scope").asText()).isEqualTo("user");
        assertThat(bots.get(0).post("/api/chat", chat("another-" + System.nanoTime())).status()).isEqualTo(200);
    }

    @Test
    void should_not_take_a_token_for_an_invalid_or_forbidden_request() {
        String owner = "owner-" + System.nanoTime();
        Api bound = server.as(server.createKey("bound", owner, null));
        for (int i = 0; i < 10; i++) {
            assertThat(bound.postRaw("/api/chat", "{\"message\": 1}").status()).isEqualTo(400);
            assertThat(bound.post("/api/chat", chat("not-the-owner")).status()).isEqualTo(403);
        }
        Api.Response first = bound.post("/api/chat", chat(owner));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("X-RateLimit-Remaining")).isEqualTo("4"); // the key's 5, less this one
    }

    @Test
    void should_admit_exactly_the_limit_under_concurrency() throws Exception {
        Api bot = server.as(server.createKey("exact", null, 10));
        List<Future<Integer>> results = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) {
                String user = "exact-" + i + "-" + System.nanoTime();
                results.add(pool.submit(() -> {
                    go.await();
                    return bot.post("/api/chat", chat(user)).status();
                }));
            }
            go.countDown();
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get());
        }
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(10);
        assertThat(statuses.stream().filter(s -> s == 429)).hasSize(30);
    }

    @Test
    void should_not_limit_other_routes() {
        Api bot = server.as(server.createKey("reader", null, 1));
        for (int i = 0; i < 5; i++) {
            Api.Response response = bot.get("/api/presets");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("X-RateLimit-Limit")).isNull();
        }
    }
}
