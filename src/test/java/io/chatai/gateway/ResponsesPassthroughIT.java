package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeOpenAiResponses;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An {@code openai} channel whose {@code options.responsesApi} is true gets {@code /v1/responses} passed through
 * to its own {@code /responses}: the caller's body unchanged but for {@code model} (hosted tools included), the
 * upstream's answer and events back with every field, usage counted, the response stored for its key, and a
 * continuation of it passed through to the same upstream.
 */
class ResponsesPassthroughIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final FakeOpenAiResponses upstream = new FakeOpenAiResponses();
    static final FakeAnthropic anthropic = new FakeAnthropic();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(List.of(upstream, anthropic));
    static final Api admin = server.admin();

    @BeforeEach
    void channel() {
        upstream.resetScript();
        server.deleteChannels();
        server.addChannel(upstream, Map.of("name", "responses-api", "models", List.of("*"), "modelMapping", Map.of("my-model", "gpt-upstream"),
                "options", Map.of("responsesApi", true)));
    }

    static Map<String, Object> request(boolean stream) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", "my-model");
        body.put("input", "Weather in Paris?");
        body.put("tools", List.of(Map.of("type", "web_search"), Map.of("type", "function", "name", "get_weather",
                "parameters", Map.of("type", "object"))));
        body.put("include", List.of("reasoning.encrypted_content"));
        body.put("stream", stream);
        return body;
    }

    static Reply answer() {
        return Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(40, 12, 8, 0, 5, false),
                new Part.Reasoning("Needs the tool.", null, "gAAAA-openai-encrypted", Part.Reasoning.OPENAI_RESPONSES),
                new Part.ToolCall("call_up_1", "get_weather", "{\"city\":\"Paris\"}", null));
    }

    @Test
    void should_pass_the_request_through_and_the_answer_back_with_every_field() throws Exception {
        upstream.always(answer());
        Map<String, Object> body = request(false);
        body.put("user", "passthrough-user");

        Api.Response answer = admin.post("/v1/responses", body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode response = answer.json();
        assertThat(response.path("upstream_only_field").asText()).isEqualTo("kept");
        assertThat(response.path("model").asText()).isEqualTo("my-model");
        assertThat(response.path("output").path(0).path("encrypted_content").asText()).isEqualTo("gAAAA-openai-encrypted");
        assertThat(response.path("output").path(1).path("call_id").asText()).isEqualTo("call_up_1");
        assertThat(answer.header("X-ChatAI-Omitted-Tools")).as("nothing was left out").isNull();
        JsonNode sent = upstream.requests().getLast().body();
        Map<String, Object> expected = new HashMap<>(body);
        expected.put("model", "gpt-upstream");
        assertThat(sent).isEqualTo(JSON.valueToTree(expected));
        assertThat(upstream.requests().getLast().path()).isEqualTo("/v1/responses");

        Api.Response stored = admin.get("/v1/responses/" + response.path("id").asText());
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().path("upstream_only_field").asText()).isEqualTo("kept");
        server.flushUsage();
        JsonNode totals = admin.get("/api/stats/usage?userId=passthrough-user").json().path("data").path("totals");
        assertThat(totals.path("promptTokens").asLong()).isEqualTo(40);
        assertThat(totals.path("completionTokens").asLong()).isEqualTo(12);
    }

    @Test
    void should_stream_the_upstreams_events_and_continue_the_response_on_the_same_upstream() {
        upstream.always(answer());

        Api.Stream stream = admin.stream("/v1/responses", request(true));

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.types()).startsWith("response.created", "response.in_progress").endsWith("response.completed");
        JsonNode completed = stream.events().getLast().path("response");
        assertThat(completed.path("upstream_only_field").asText()).isEqualTo("kept");
        assertThat(completed.path("model").asText()).isEqualTo("my-model");
        assertThat(stream.raw()).contains("event: response.function_call_arguments.delta\n");
        String id = completed.path("id").asText();

        upstream.always(Reply.text("18 degrees."));
        Map<String, Object> next = new HashMap<>();
        next.put("model", "my-model");
        next.put("previous_response_id", id);
        next.put("input", List.of(Map.of("type", "function_call_output", "call_id", "call_up_1", "output", "18")));
        Api.Response continued = admin.post("/v1/responses", next);

        assertThat(continued.status()).as(continued.body()).isEqualTo(200);
        assertThat(continued.json().path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo("18 degrees.");
        assertThat(upstream.requests().getLast().body().path("previous_response_id").asText())
                .as("the upstream holds the response it continues").isEqualTo(id);
    }

    @Test
    void should_translate_a_continuation_when_its_upstream_is_gone() {
        upstream.always(answer());
        String id = admin.post("/v1/responses", request(false)).json().path("id").asText();
        server.deleteChannels();
        server.addChannel(anthropic, Map.of("name", "claude", "models", List.of("*")));
        anthropic.always(Reply.text("18 degrees."));

        Map<String, Object> next = new HashMap<>();
        next.put("model", "my-model");
        next.put("previous_response_id", id);
        next.put("input", List.of(Map.of("type", "function_call_output", "call_id", "call_up_1", "output", "18")));
        Api.Response continued = admin.post("/v1/responses", next);

        assertThat(continued.status()).as(continued.body()).isEqualTo(200);
        var received = anthropic.received(anthropic.requests().getLast()).messages();
        assertThat(received.get(0).text()).isEqualTo("Weather in Paris?");
        assertThat(received).hasSize(3);
    }

    @Test
    void should_refuse_options_a_channel_type_does_not_have() {
        Api.Response wrongValue = admin.post("/api/channels", Map.of("name", "bad", "type", "openai", "baseUrl", upstream.baseUrl(),
                "options", Map.of("responsesApi", "yes")));
        Api.Response unknown = admin.post("/api/channels", Map.of("name", "bad2", "type", "openai", "baseUrl", upstream.baseUrl(),
                "options", Map.of("streaming", true)));
        Api.Response otherType = admin.post("/api/channels", Map.of("name", "bad3", "type", "anthropic", "baseUrl", anthropic.baseUrl(),
                "options", Map.of("responsesApi", true)));

        assertThat(wrongValue.status()).isEqualTo(400);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("responsesApi");
        assertThat(otherType.status()).isEqualTo(400);
    }
}
