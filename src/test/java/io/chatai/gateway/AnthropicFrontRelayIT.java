package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/messages} to an {@code anthropic} channel: the caller's body reaches the upstream unchanged but
 * for {@code model} (cache_control, unknown fields, number spellings), with the caller's
 * {@code anthropic-version} and {@code anthropic-beta}; the answer and every stream event come back as the
 * upstream sent them; its errors keep their text; count_tokens asks the channel; the key may come as
 * {@code x-api-key}; errors are in Anthropic's shape.
 */
class AnthropicFrontRelayIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final FakeAnthropic UPSTREAM = new FakeAnthropic();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(UPSTREAM);
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final String REQUEST = """
            {"model" : "claude-x", "max_tokens": 1024, "temperature": 1.0e0,
             "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
             "messages": [{"role": "user", "content": [{"type": "text", "text": "h\\u00e9llo \\"model\\": x",
               "cache_control": {"type": "ephemeral", "ttl": "1h"}}]}],
             "x_vendor_field": {"model": "keep-me"}, "metadata": {"user_id": "%s"}%s}""";
    static final String LONG_USER = "{\\\"device_id\\\":\\\"" + "d".repeat(64) + "\\\",\\\"account_uuid\\\":\\\"\\\",\\\"session_id\\\":\\\""
            + "5".repeat(36) + "\\\"}";

    static final Reply ANSWER = Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(100, 20, 40, 10, 0, false),
            new Part.Reasoning("Think.", "sig-EqQBCgIYAh==", null, Part.Reasoning.ANTHROPIC),
            new Part.Text("Checking."),
            new Part.ToolCall("toolu_01", "get_weather", "{\"city\":\"Paris\"}", null));

    @BeforeEach
    void reset() {
        UPSTREAM.resetScript();
        UPSTREAM.offerCountTokens(true);
        server.deleteChannels();
        server.addChannel(UPSTREAM, Map.of("name", "claude", "models", List.of("claude-x"), "modelMapping",
                Map.of("claude-x", "upstream-claude")));
    }

    static HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void should_pass_the_body_through_unchanged_but_for_the_model_with_the_callers_version_and_beta_headers() {
        UPSTREAM.always(ANSWER);
        String body = REQUEST.formatted(LONG_USER, "");

        HttpResponse<String> response = post("/v1/messages", body, "x-api-key", TestServer.ADMIN_KEY,
                "anthropic-version", "2023-06-01", "anthropic-beta", "interleaved-thinking-2025-05-14");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        FakeUpstream.Recorded received = UPSTREAM.requests().getLast();
        assertThat(received.raw()).isEqualTo(body.replace("\"model\" : \"claude-x\"", "\"model\" : \"upstream-claude\""));
        assertThat(received.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(received.header("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14");
        assertThat(received.header("x-api-key")).isNotEqualTo(TestServer.ADMIN_KEY);
        JsonNode answer = json(response.body());
        assertThat(answer.path("model").asText()).as("the upstream's answer, unchanged").isEqualTo("upstream-claude");
        assertThat(answer.path("content").path(0).path("signature").asText()).isEqualTo("sig-EqQBCgIYAh==");
        assertThat(answer.path("content").path(2).path("id").asText()).isEqualTo("toolu_01");
        assertThat(answer.path("usage").path("cache_read_input_tokens").asInt()).isEqualTo(40);
    }

    @Test
    void should_relay_every_stream_event_byte_for_byte() throws Exception {
        UPSTREAM.always(ANSWER);
        String body = REQUEST.formatted("user-1", ", \"stream\": true");
        HttpResponse<String> direct = CLIENT.send(HttpRequest.newBuilder(URI.create(UPSTREAM.baseUrl() + "/v1/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace("claude-x", "upstream-claude"))).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        HttpResponse<String> response = post("/v1/messages", body, "Authorization", "Bearer " + TestServer.ADMIN_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        assertThat(response.body().replace(": keep-alive\n\n", "")).isEqualTo(direct.body());
        AnthropicEvents events = AnthropicEvents.parse(response.body());
        assertThat(events.names()).contains("ping", "content_block_start", "message_delta");
        JsonNode message = events.assemble();
        assertThat(message.path("content").path(0).path("signature").asText()).isEqualTo("sig-EqQBCgIYAh==");
        assertThat(message.path("content").path(2).path("input").path("city").asText()).isEqualTo("Paris");
    }

    @Test
    void should_fail_over_when_an_overloaded_error_follows_the_opening_events() throws Exception {
        server.deleteChannels();
        server.addChannel(UPSTREAM, Map.of("name", "first", "priority", 10, "models", List.of("claude-x"),
                "apiKeys", List.of("sk-ant-first-0000000")));
        server.addChannel(UPSTREAM, Map.of("name", "second", "priority", 0, "models", List.of("claude-x"),
                "apiKeys", List.of("sk-ant-second-000000")));
        UPSTREAM.scriptRequests(recorded -> "sk-ant-first-0000000".equals(recorded.apiKey())
                ? Reply.text().failingMidStream(529, "Overloaded") : ANSWER);
        String body = REQUEST.formatted("u", ", \"stream\": true");
        HttpResponse<String> direct = CLIENT.send(HttpRequest.newBuilder(URI.create(UPSTREAM.baseUrl() + "/v1/messages"))
                .header("Content-Type", "application/json").header("x-api-key", "sk-ant-second-000000")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        HttpResponse<String> response = post("/v1/messages", body, "x-api-key", TestServer.ADMIN_KEY);

        assertThat(response.body().replace(": keep-alive\n\n", "")).isEqualTo(direct.body());
        assertThat(UPSTREAM.requests().subList(UPSTREAM.requests().size() - 2, UPSTREAM.requests().size()))
                .extracting(FakeUpstream.Recorded::apiKey).containsExactly("sk-ant-first-0000000", "sk-ant-second-000000");
    }

    @Test
    void should_pass_an_upstream_error_through_with_its_status_type_and_text() {
        String message = "messages.0.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9";
        UPSTREAM.always(Reply.status(400, message));

        HttpResponse<String> response = post("/v1/messages", REQUEST.formatted("u", ""), "x-api-key", TestServer.ADMIN_KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("error").path("message").asText()).isEqualTo(message);
    }

    @Test
    void should_answer_every_failure_in_anthropics_shape_and_status() {
        HttpResponse<String> noKey = post("/v1/messages", REQUEST.formatted("u", ""));
        HttpResponse<String> badKey = post("/v1/messages", REQUEST.formatted("u", ""), "x-api-key", "sk-wrong");
        HttpResponse<String> unknown = post("/v1/messages", REQUEST.formatted("u", "").replace("claude-x", "claude-nope"),
                "x-api-key", TestServer.ADMIN_KEY);
        HttpResponse<String> invalid = post("/v1/messages", "{\"model\": \"claude-x\", \"messages\": []}",
                "x-api-key", TestServer.ADMIN_KEY);
        UPSTREAM.always(Reply.status(529, "Overloaded"));
        HttpResponse<String> overloaded = post("/v1/messages", REQUEST.formatted("u", ""), "x-api-key", TestServer.ADMIN_KEY);

        assertThat(List.of(noKey, badKey, unknown, invalid, overloaded)).extracting(HttpResponse::statusCode)
                .containsExactly(401, 401, 404, 400, 529);
        assertThat(List.of(noKey, badKey, unknown, invalid, overloaded)).extracting(r -> json(r.body()).path("error").path("type").asText())
                .containsExactly("authentication_error", "authentication_error", "not_found_error", "invalid_request_error",
                        "overloaded_error");
        assertThat(json(unknown.body()).path("type").asText()).isEqualTo("error");
        assertThat(json(unknown.body()).path("error").path("message").asText()).contains("claude-nope");
    }

    @Test
    void should_count_tokens_with_the_channels_endpoint_and_without_a_model_call() {
        String body = REQUEST.formatted("u", "");
        int callsBefore = UPSTREAM.calls();

        HttpResponse<String> response = post("/v1/messages/count_tokens", body, "x-api-key", TestServer.ADMIN_KEY,
                "anthropic-version", "2023-06-01");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        FakeUpstream.Recorded asked = UPSTREAM.requests().getLast();
        assertThat(asked.path()).isEqualTo("/v1/messages/count_tokens");
        assertThat(asked.body().path("model").asText()).isEqualTo("upstream-claude");
        assertThat(UPSTREAM.calls() - callsBefore).isEqualTo(1);
        assertThat(json(response.body()).path("input_tokens").asInt()).isEqualTo(FakeAnthropic.tokensCounted(json(body)));
    }

    @Test
    void should_count_tokens_with_the_tokenizer_when_the_channel_has_no_counting_endpoint() {
        UPSTREAM.offerCountTokens(false);
        String body = REQUEST.formatted("u", "");

        HttpResponse<String> response = post("/v1/messages/count_tokens", body.replace("\"max_tokens\": 1024, ", ""),
                "x-api-key", TestServer.ADMIN_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        int count = json(response.body()).path("input_tokens").asInt();
        assertThat(count).isBetween(5, 100).isNotEqualTo(FakeAnthropic.tokensCounted(json(body)));
        Api.Response chat = server.admin().post("/v1/messages", json(body.replace("\"stream\": true", "")));
        assertThat(chat.status()).as("a 404 on count_tokens leaves the channel serving the model").isEqualTo(200);
    }
}
