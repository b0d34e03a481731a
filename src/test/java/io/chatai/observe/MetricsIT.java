package io.chatai.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code /metrics} after real traffic, its protection, and the access log line of each request. */
class MetricsIT {

    @Test
    void should_expose_the_metrics_after_traffic() {
        try (FakeOpenAi upstream = new FakeOpenAi(); FakeOpenAi broken = new FakeOpenAi(); TestServer server = TestServer.start()) {
            server.addChannel(upstream);
            broken.always(Reply.status(503, "overloaded"));
            server.admin().post("/api/channels", Map.of("name", "flaky", "type", "openai", "baseUrl", broken.baseUrl(), "priority", 5));
            Api admin = server.admin();
            admin.post("/api/chat", Map.of("message", "hi", "userId", "m1"));
            admin.stream("/api/chat/stream", Map.of("message", "hi", "userId", "m1"));
            admin.post("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("role", "user", "content", "x"))));

            Api.Response metrics = admin.get("/metrics");

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("Content-Type")).startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("chatai_http_requests_seconds_bucket{")
                    .contains("route=\"/api/chat\"").contains("route=\"/api/chat/stream\"").contains("route=\"/v1/chat/completions\"")
                    .contains("chatai_upstream_latency_seconds_bucket{")
                    .contains("chatai_upstream_ttft_seconds_count{")
                    .contains("chatai_tokens_total{channel=")
                    .contains("kind=\"prompt\"").contains("kind=\"completion\"")
                    .contains("chatai_failovers_total{channel=\"flaky\"")
                    .contains("chatai_streams_in_flight")
                    .contains("hikaricp_connections")
                    .contains("jvm_memory_used_bytes")
                    .contains("jvm_threads_live_threads");
        }
    }

    @Test
    void should_group_model_names_no_channel_names_under_one_tag_so_clients_cannot_grow_the_series() throws Exception {
        try (FakeOpenAi upstream = new FakeOpenAi(); TestServer server = TestServer.start()) {
            server.addChannel(upstream, Map.of("name", "wild", "models", List.of("named-model", "*"), "modelMapping", Map.of("alias", "named-model")));
            Api admin = server.admin();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<Integer>> statuses = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    String model = "random-" + UUID.randomUUID();
                    statuses.add(pool.submit(() -> admin.post("/v1/chat/completions",
                            Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "x")))).status()));
                }
                for (Future<Integer> status : statuses) {
                    assertThat(status.get()).isEqualTo(200);
                }
            }
            admin.post("/v1/chat/completions", Map.of("model", "named-model", "messages", List.of(Map.of("role", "user", "content", "x"))));
            admin.post("/v1/chat/completions", Map.of("model", "alias", "messages", List.of(Map.of("role", "user", "content", "x"))));

            String scrape = admin.get("/metrics").body();

            Set<String> models = new TreeSet<>();
            Matcher tag = Pattern.compile("model=\"([^\"]*)\"").matcher(scrape);
            while (tag.find()) {
                models.add(tag.group(1));
            }
            assertThat(models).containsExactly("alias", "named-model", "other");
            assertThat(scrape).contains("chatai_upstream_latency_seconds_count{channel=\"wild\",model=\"other\",outcome=\"ok\"} 1000");
        }
    }

    @Test
    void should_tag_invented_http_methods_as_one_value() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 20; i++) {
                client.send(server.admin().request("/api/channels").method("INVENTED" + i, HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.discarding());
            }

            String scrape = server.admin().get("/metrics").body();

            assertThat(scrape).doesNotContain("INVENTED").contains("method=\"OTHER\"");
        }
    }

    @Test
    void should_protect_metrics_unless_public() {
        try (TestServer server = TestServer.start()) {
            assertThat(server.as(null).get("/metrics").status()).isEqualTo(401);
            assertThat(server.as(server.createKey("bot", null, null)).get("/metrics").status()).isEqualTo(403);
        }
        try (TestServer server = TestServer.start(Map.of("CHATAI_METRICS_PUBLIC", "true"))) {
            assertThat(server.as(null).get("/metrics").status()).isEqualTo(200);
        }
    }

    @Test
    void should_log_one_line_per_request_with_its_id_route_status_channel_and_duration() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("io.chatai.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try (FakeOpenAi upstream = new FakeOpenAi(); TestServer server = TestServer.start()) {
            server.addChannel(upstream);
            Api admin = server.admin();
            admin.send(admin.request("/api/chat").header("X-Request-Id", "trace-me-42").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\",\"userId\":\"logged\"}")));
            admin.send(admin.request("/api/chat/stream").header("X-Request-Id", "streamed-44").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\",\"userId\":\"logged\"}")));
            Api stranger = server.as("sk-wrong");
            stranger.send(stranger.request("/api/presets").header("X-Request-Id", "refused-43").GET());
            Thread.sleep(100);
        } finally {
            access.detachAppender(lines);
        }
        ILoggingEvent line = lineOf(lines, "trace-me-42");
        Map<String, Object> fields = new java.util.HashMap<>();
        line.getKeyValuePairs().forEach(kv -> fields.put(kv.key, kv.value));
        assertThat(fields).containsEntry("route", "/api/chat").containsEntry("status", 200).containsEntry("method", "POST");
        assertThat((String) fields.get("channel")).startsWith("fake-");
        assertThat((Double) fields.get("durationMs")).isPositive();
        assertThat(line.getFormattedMessage() + fields).doesNotContain(TestServer.ADMIN_KEY).doesNotContain("sk-test");
        ILoggingEvent streamed = lineOf(lines, "streamed-44");
        assertThat(streamed.getKeyValuePairs()).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("channel");
            assertThat((String) kv.value).startsWith("fake-"); // noted by the stream's handler, as by the plain chat's
        });
        ILoggingEvent refused = lineOf(lines, "refused-43");
        assertThat(refused.getKeyValuePairs()).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("status");
            assertThat(kv.value).isEqualTo(401); // the status the client got, set by the error handler after the filters
        });
        assertThat(refused.getFormattedMessage() + refused.getKeyValuePairs()).doesNotContain("sk-wrong");
    }

    /** The access-log line of the request sent with this {@code X-Request-Id}. */
    private static ILoggingEvent lineOf(ListAppender<ILoggingEvent> lines, String requestId) {
        return lines.list.stream()
                .filter(e -> e.getKeyValuePairs().stream().anyMatch(kv -> kv.key.equals("requestId") && requestId.equals(kv.value)))
                .findFirst().orElseThrow();
    }
}
