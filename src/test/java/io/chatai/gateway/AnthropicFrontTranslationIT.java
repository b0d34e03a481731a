package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.Api;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /v1/messages} to channels that translate (OpenAI-compatible, Gemini): their reasoning, text and tool
 * calls come back as Anthropic content blocks, JSON and streamed in Anthropic's event order; the blocks a
 * client sends back in a tool loop reach the provider with their state byte for byte (DeepSeek-style
 * {@code reasoning_content}, Gemini's thought signature on a call) and tool results matched to their calls;
 * {@code cache_control} is removed; what only Anthropic can run is refused with Anthropic's 400.
 */
class AnthropicFrontTranslationIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<FakeUpstream> FAKES = List.of(new FakeOpenAi(), new FakeGemini());
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);
    static final Map<String, Object> WEATHER = Map.of("name", "get_weather", "description", "Weather of a city",
            "input_schema", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))),
            "cache_control", Map.of("type", "ephemeral"));
    static final TokenUsage USAGE = new TokenUsage(100, 20, 40, 0, 8, false);
    static final String ARGUMENTS = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";

    static List<FakeUpstream> fakes() {
        return FAKES;
    }

    private static void use(FakeUpstream fake) {
        fake.resetScript();
        server.deleteChannels();
        server.addChannel(fake, Map.of("name", fake.type(), "models", List.of("*")));
    }

    private static boolean gemini(FakeUpstream fake) {
        return fake.type().equals("gemini");
    }

    /** Reasoning (Gemini's with its signature), text, and a call (Gemini's with a thought signature). */
    private static Reply answer(FakeUpstream fake) {
        Part.Reasoning reasoning = gemini(fake)
                ? new Part.Reasoning("The user wants the weather.", "sig-gemini-thought==", null, Part.Reasoning.GEMINI)
                : Part.Reasoning.text("The user wants the weather.", Part.Reasoning.OPENAI);
        return Reply.rich(FinishReason.TOOL_CALLS, USAGE, reasoning, new Part.Text("Let me check."),
                new Part.ToolCall("call_1", "get_weather", ARGUMENTS, gemini(fake) ? "gemini-call-signature==" : null));
    }

    private static Map<String, Object> request(boolean stream, List<Map<String, Object>> messages) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", "some-model");
        body.put("max_tokens", 2048);
        body.put("system", List.of(Map.of("type", "text", "text", "Be brief.", "cache_control", Map.of("type", "ephemeral"))));
        body.put("messages", messages);
        body.put("tools", List.of(WEATHER));
        body.put("metadata", Map.of("user_id", "{\"device_id\":\"" + "d".repeat(64) + "\",\"session_id\":\"s-1\"}"));
        body.put("stream", stream);
        return body;
    }

    private static final List<Map<String, Object>> QUESTION = List.of(Map.of("role", "user", "content",
            List.of(Map.of("type", "text", "text", "Weather in Paris?", "cache_control", Map.of("type", "ephemeral")))));

    private static void assertAnswer(FakeUpstream fake, JsonNode message) {
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("model").asText()).isEqualTo("some-model");
        assertThat(message.path("stop_reason").asText()).isEqualTo("tool_use");
        JsonNode content = message.path("content");
        assertThat(content).extracting(b -> b.path("type").asText()).containsExactly("thinking", "text", "tool_use");
        assertThat(content.path(0).path("thinking").asText()).isEqualTo("The user wants the weather.");
        assertThat(content.path(0).has("signature")).isTrue();
        assertThat(content.path(1).path("text").asText()).isEqualTo("Let me check.");
        assertThat(content.path(2).path("name").asText()).isEqualTo("get_weather");
        assertThat(content.path(2).path("input")).isEqualTo(json(ARGUMENTS));
        if (!gemini(fake)) {
            assertThat(content.path(2).path("id").asText()).isEqualTo("call_1");
        }
        JsonNode usage = message.path("usage");
        assertThat(usage.path("input_tokens").asInt()).as("net of cached tokens, as Anthropic counts").isEqualTo(60);
        assertThat(usage.path("cache_read_input_tokens").asInt()).isEqualTo(40);
        assertThat(usage.path("output_tokens").asInt()).isEqualTo(20);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_answer_reasoning_text_and_tool_use_as_anthropic_content_blocks(FakeUpstream fake) {
        use(fake);
        fake.always(answer(fake));

        Api.Response response = server.admin().post("/v1/messages", request(false, QUESTION));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertAnswer(fake, response.json());
        String sent = fake.requests().getLast().raw();
        assertThat(sent).as("cache_control is Anthropic's alone").doesNotContain("cache_control").contains("Be brief.");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_stream_in_anthropics_event_order_with_every_block_type(FakeUpstream fake) {
        use(fake);
        fake.always(answer(fake));

        Api.Stream stream = server.admin().stream("/v1/messages", request(true, QUESTION));

        assertThat(stream.status()).isEqualTo(200);
        AnthropicEvents events = AnthropicEvents.parse(stream.raw());
        assertAnswer(fake, events.assemble());
        assertThat(events.events()).filteredOn(e -> e.name().equals("content_block_delta"))
                .extracting(e -> e.data().path("delta").path("type").asText())
                .contains("thinking_delta", "text_delta", "input_json_delta");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_return_the_blocks_of_a_tool_loop_to_the_provider_with_their_state_and_matching_ids(FakeUpstream fake) {
        use(fake);
        fake.always(answer(fake));
        JsonNode first = AnthropicEvents.parse(server.admin().stream("/v1/messages", request(true, QUESTION)).raw()).assemble();
        fake.always(Reply.text("18 degrees in Paris."));
        String toolUseId = first.path("content").path(2).path("id").asText();
        List<Map<String, Object>> next = new ArrayList<>(QUESTION);
        next.add(Map.of("role", "assistant", "content", first.path("content")));
        next.add(Map.of("role", "user", "content", List.of(Map.of("type", "tool_result", "tool_use_id", toolUseId,
                "content", List.of(Map.of("type", "text", "text", "18 degrees")), "cache_control", Map.of("type", "ephemeral")))));

        Api.Response answer = server.admin().post("/v1/messages", request(false, next));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("content").path(0).path("text").asText()).isEqualTo("18 degrees in Paris.");
        assertThat(answer.json().path("stop_reason").asText()).isEqualTo("end_turn");
        List<ChatMessage> received = fake.received(fake.requests().getLast()).messages();
        ChatMessage.Assistant sent = (ChatMessage.Assistant) received.get(received.size() - 2);
        ChatMessage.Tool result = (ChatMessage.Tool) received.getLast();
        Part.ToolCall call = sent.toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(json(call.arguments())).isEqualTo(json(ARGUMENTS));
        assertThat(result.toolCallId()).isEqualTo(call.id());
        assertThat(result.text()).contains("18 degrees");
        if (gemini(fake)) {
            assertThat(call.signature()).isEqualTo("gemini-call-signature==");
        } else {
            assertThat(call.id()).isEqualTo("call_1");
            assertThat(sent.reasoning()).extracting(Part.Reasoning::text).containsExactly("The user wants the weather.");
        }
    }

    @Test
    void should_refuse_a_server_tool_on_a_channel_that_cannot_run_it_before_any_upstream_call() {
        FakeUpstream fake = FAKES.getFirst();
        use(fake);
        int before = fake.calls();
        Map<String, Object> body = request(false, QUESTION);
        body.put("tools", List.of(WEATHER, Map.of("type", "web_search_20250305", "name", "web_search", "max_uses", 3)));

        Api.Response response = server.admin().post("/v1/messages", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("type").asText()).isEqualTo("error");
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(response.json().path("error").path("message").asText()).contains("tools[1]").contains("openai");
        assertThat(fake.calls()).isEqualTo(before);
    }

    @Test
    void should_fail_over_across_channel_types_and_record_usage_for_the_hashed_user() throws Exception {
        FakeUpstream openai = FAKES.get(0);
        FakeUpstream gemini = FAKES.get(1);
        server.deleteChannels();
        server.addChannel(openai, Map.of("name", "first", "priority", 10, "models", List.of("*")));
        server.addChannel(gemini, Map.of("name", "second", "priority", 0, "models", List.of("*")));
        openai.always(Reply.status(503, "overloaded"));
        gemini.always(answer(gemini));
        String userId = "{\"device_id\":\"" + "e".repeat(64) + "\",\"session_id\":\"s-2\"}";
        Map<String, Object> body = request(true, QUESTION);
        body.put("metadata", Map.of("user_id", userId));

        Api.Stream stream = server.admin().stream("/v1/messages", body);

        assertAnswer(gemini, AnthropicEvents.parse(stream.raw()).assemble());
        server.flushUsage();
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(userId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String counted = "sha256:" + java.util.HexFormat.of().formatHex(digest, 0, 16);
        JsonNode totals = server.admin().get("/api/stats/usage?userId=" + counted).data().path("totals");
        assertThat(totals.path("promptTokens").asLong()).isEqualTo(100);
        assertThat(totals.path("completionTokens").asLong()).isEqualTo(20);
        openai.resetScript();
    }

    @Test
    void should_apply_the_keys_rate_limit_with_anthropics_429() {
        FakeUpstream fake = FAKES.getFirst();
        use(fake);
        fake.always(Reply.text("hi"));
        String key = server.createKey("limited-messages", null, 1);

        Api.Response first = server.as(key).post("/v1/messages", request(false, QUESTION));
        Api.Response second = server.as(key).post("/v1/messages", request(false, QUESTION));

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.json().path("error").path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(second.header("retry-after")).isNotBlank();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
