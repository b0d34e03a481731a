package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/chat/completions} to an {@code openai}-type channel: the caller's body reaches the upstream byte for
 * byte but for {@code model} (and a stream's usage option), and the upstream's answer and chunks reach the caller
 * byte for byte but for {@code model}, every field included; failover, usage records and the answer bound work
 * as for translated calls.
 */
class GatewayRelayIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(upstream);

    @BeforeEach
    void reset() {
        upstream.resetScript();
        server.deleteChannels();
        server.addChannel(upstream, Map.of("name", "relay", "models", List.of("my-model"), "modelMapping", Map.of("my-model", "real-model")));
    }

    private static final String REQUEST = """
            {"model" : "my-model", "messages": [{"role": "user", "content": "h\\u00e9llo \\"model\\": x"}],
             "temperature": 1.0e0, "logprobs": true, "top_logprobs": 2, "n": 2, "seed": 42, "stop": ["x"],
             "x_vendor_field": {"model": "keep-me"}, "metadata": {"a": "b"}, "store": false, "service_tier": "flex"%s}""";

    private static final String ANSWER = """
            {"id":"chatcmpl-up","object":"chat.completion","created":1700000000,"model":"real-model-2024-08-06",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"one","refusal":null,"annotations":[]},\
            "logprobs":{"content":[{"token":"one","logprob":-0.1,"bytes":[111,110,101],"top_logprobs":[]}]},"finish_reason":"stop"},\
            {"index":1,"message":{"role":"assistant","content":"two","refusal":null,"annotations":[]},"logprobs":null,\
            "finish_reason":"length"}],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11,\
            "prompt_tokens_details":{"cached_tokens":4,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},\
            "service_tier":"flex","system_fingerprint":"fp_44709d6fcb","x_unknown":{"model":"inner"}}""";

    @Test
    void should_pass_a_body_and_an_answer_through_unchanged_but_for_the_model() {
        upstream.always(Reply.rawError(200, ANSWER));
        String request = REQUEST.formatted("");

        Api.Response response = server.admin().postRaw("/v1/chat/completions", request);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(upstream.requests().getLast().raw())
                .isEqualTo(request.replace("\"model\" : \"my-model\"", "\"model\" : \"real-model\""));
        assertThat(response.body()).isEqualTo(ANSWER.replace("\"model\":\"real-model-2024-08-06\"", "\"model\":\"my-model\""));
        assertThat(response.json().path("choices")).as("n = 2 reaches the caller").hasSize(2);
    }

    /** A stream with reasoning, a tool call in fragments, usage: null on its chunks, and the usage-only chunk last. */
    private static final List<String> CHUNKS = List.of(
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"real-2024\",\"system_fingerprint\":\"fp_1\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"refusal\":null},\"logprobs\":null,"
                    + "\"finish_reason\":null}],\"usage\":null}",
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"real-2024\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"reasoning_content\":\"Think\"},\"finish_reason\":null}],\"usage\":null}",
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"real-2024\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_x\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                    + "\"arguments\":\"\"}}]},\"finish_reason\":null}],\"usage\":null}",
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"real-2024\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}],\"usage\":null}",
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"real-2024\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}],\"usage\":null}",
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"real-2024\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":null,\"x_unknown\":true}",
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"real-2024\",\"choices\":[],\"usage\":{"
                    + "\"prompt_tokens\":7,\"completion_tokens\":5,\"total_tokens\":12,\"prompt_tokens_details\":{\"cached_tokens\":3},"
                    + "\"completion_tokens_details\":{\"reasoning_tokens\":2}}}");

    private static String expectedStream(List<String> chunks) {
        StringBuilder expected = new StringBuilder();
        chunks.forEach(c -> expected.append("data: ").append(c.replace("\"model\":\"real-2024\"", "\"model\":\"my-model\"")).append("\n\n"));
        return expected.append("data: [DONE]\n\n").toString();
    }

    @Test
    void should_ask_a_stream_for_usage_and_pass_every_chunk_but_the_usage_one_the_caller_did_not_ask_for() {
        upstream.always(upstream.verbatimStream(CHUNKS.toArray(String[]::new)));
        String request = REQUEST.formatted(", \"stream\": true");

        Api.Stream stream = server.admin().stream("/v1/chat/completions", request);

        assertThat(stream.status()).isEqualTo(200);
        assertThat(upstream.requests().getLast().raw()).isEqualTo("{\"stream_options\":{\"include_usage\":true},"
                + request.substring(1).replace("\"model\" : \"my-model\"", "\"model\" : \"real-model\""));
        assertThat(stream.raw()).isEqualTo(expectedStream(CHUNKS.subList(0, CHUNKS.size() - 1)));
    }

    @Test
    void should_pass_the_usage_chunk_to_a_caller_who_asked_and_record_the_reported_usage() {
        upstream.always(upstream.verbatimStream(CHUNKS.toArray(String[]::new)));
        String request = REQUEST.formatted(", \"stream\": true, \"user\": \"relay-user\", \"stream_options\": {\"include_usage\": true}");

        Api.Stream stream = server.admin().stream("/v1/chat/completions", request);

        assertThat(upstream.requests().getLast().raw()).isEqualTo(request.replace("\"model\" : \"my-model\"", "\"model\" : \"real-model\""));
        assertThat(stream.raw()).isEqualTo(expectedStream(CHUNKS));
        server.flushUsage();
        JsonNode totals = server.admin().get("/api/stats/usage?userId=relay-user").data().path("totals");
        assertThat(totals.path("requests").asLong()).isEqualTo(1);
        assertThat(totals.path("promptTokens").asLong()).isEqualTo(7);
        assertThat(totals.path("completionTokens").asLong()).isEqualTo(5);
    }

    @Test
    void should_fail_over_to_the_next_channel_before_the_first_byte() {
        server.deleteChannels();
        server.addChannel(upstream, Map.of("name", "first", "priority", 10, "apiKeys", List.of("sk-first-000000000")));
        server.addChannel(upstream, Map.of("name", "second", "priority", 0, "apiKeys", List.of("sk-second-00000000")));
        Reply good = upstream.verbatimStream(CHUNKS.toArray(String[]::new));
        upstream.scriptRequests(recorded -> "sk-first-000000000".equals(recorded.apiKey())
                ? Reply.status(503, "overloaded") : good);

        Api.Stream stream = server.admin().stream("/v1/chat/completions", Map.of("model", "real-2024", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));

        assertThat(stream.raw()).isEqualTo(expectedStream(CHUNKS.subList(0, CHUNKS.size() - 1)).replace("my-model", "real-2024"));
        assertThat(upstream.requests().subList(upstream.requests().size() - 2, upstream.requests().size()))
                .extracting(FakeUpstream.Recorded::apiKey).containsExactly("sk-first-000000000", "sk-second-00000000");
    }

    @Test
    void should_stop_a_relayed_answer_that_never_ends_and_close_its_upstream() {
        int closedBefore = upstream.closedEarly();
        upstream.always(Reply.text("start").with(Reply.Fault.ENDLESS_DELTAS));

        Api.Stream stream = server.admin().stream("/v1/chat/completions", Map.of("model", "my-model", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.raw()).doesNotContain("[DONE]");
        assertThat(stream.events().getLast().path("error").path("message").asText()).contains("CHATAI_MAX_ANSWER_CHARS");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (upstream.closedEarly() == closedBefore && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(upstream.closedEarly()).as("the upstream connection was closed").isGreaterThan(closedBefore);
    }

    @Test
    void should_mask_the_channel_key_in_an_upstream_error_inside_a_stream() {
        upstream.always(upstream.verbatimStream(CHUNKS.getFirst(),
                "{\"error\":{\"message\":\"bad key sk-test-0123456789 was used\",\"type\":\"server_error\"}}"));

        Api.Stream stream = server.admin().stream("/v1/chat/completions", Map.of("model", "my-model", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));

        assertThat(stream.events()).hasSize(2);
        assertThat(stream.events().getLast().path("error").path("message").asText()).contains("bad key").contains("was used");
        assertThat(stream.raw()).doesNotContain("sk-test-0123456789").doesNotContain("[DONE]");
    }

    @Test
    void should_cancel_a_relayed_upstream_stream_when_the_client_leaves() throws Exception {
        upstream.always(Reply.text("tick ".repeat(200).split("(?<= )")).withGap(Duration.ofMillis(50)));
        int closedBefore = upstream.closedEarly();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = server.admin().request("/v1/chat/completions").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"my-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}")).build();
        java.io.InputStream body = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream()).body();
        assertThat(new String(body.readNBytes(100), java.nio.charset.StandardCharsets.UTF_8)).startsWith("data: {");
        long left = System.nanoTime();
        body.close();
        client.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (upstream.closedEarly() == closedBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(upstream.closedEarly()).as("the upstream saw its connection closed").isEqualTo(closedBefore + 1);
        assertThat(Duration.ofNanos(upstream.lastDisconnectNanos() - left)).isLessThan(Duration.ofSeconds(1));
    }
}
