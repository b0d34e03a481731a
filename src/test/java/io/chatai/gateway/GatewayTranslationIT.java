package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /v1/chat/completions} to channels that translate (Anthropic, Gemini): their tool calls, reasoning and
 * its opaque state, finish reasons and usage details come back in OpenAI's shape, JSON and streamed, and the
 * state a caller sends back reaches the provider byte for byte. (Needs the rich adapters of issue 14.)
 */
class GatewayTranslationIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<FakeUpstream> FAKES = List.of(new FakeAnthropic(), new FakeGemini());
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);
    static final Map<String, Object> WEATHER = Map.of("type", "function", "function", Map.of("name", "get_weather",
            "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")))));
    static final TokenUsage USAGE = new TokenUsage(100, 20, 40, 0, 8, false);

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

    /** The provider's answer: reasoning with its state, some text, a tool call (Gemini's with a thought signature). */
    private static Reply answer(FakeUpstream fake) {
        List<Part> parts = new ArrayList<>();
        String origin = gemini(fake) ? Part.Reasoning.GEMINI : Part.Reasoning.ANTHROPIC;
        parts.add(new Part.Reasoning("The user wants the weather.", "sig-" + origin + "-EqQBCgIYAh==", null, origin));
        if (!gemini(fake)) {
            parts.add(new Part.Reasoning(null, null, "EmwKAhgBEgy3va3pzix/Laf==", origin));
        }
        parts.add(new Part.Text("Let me check."));
        parts.add(new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}",
                gemini(fake) ? "gemini-call-signature==" : null));
        return Reply.rich(FinishReason.TOOL_CALLS, USAGE, parts.toArray(Part[]::new));
    }

    private static Map<String, Object> request(boolean stream, List<Map<String, Object>> messages) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", "some-model");
        body.put("messages", messages);
        body.put("tools", List.of(WEATHER));
        body.put("stream", stream);
        if (stream) {
            body.put("stream_options", Map.of("include_usage", true));
        }
        return body;
    }

    private static final List<Map<String, Object>> QUESTION = List.of(Map.of("role", "user", "content", "Weather in Paris?"));

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_answer_tool_calls_reasoning_and_usage_in_openai_shape(FakeUpstream fake) {
        use(fake);
        fake.always(answer(fake));

        JsonNode body = server.admin().post("/v1/chat/completions", request(false, QUESTION)).json();

        JsonNode choice = body.path("choices").path(0);
        JsonNode message = choice.path("message");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(message.path("content").asText()).isEqualTo("Let me check.");
        assertThat(message.path("reasoning_content").asText()).isEqualTo("The user wants the weather.");
        JsonNode call = message.path("tool_calls").path(0);
        assertThat(call.path("id").asText()).isNotBlank();
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(json(call.path("function").path("arguments").asText())).isEqualTo(json("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        if (gemini(fake)) {
            assertThat(call.path("extra_content").path("google").path("thought_signature").asText()).isEqualTo("gemini-call-signature==");
        } else {
            assertThat(message.path("thinking_blocks")).hasSize(2);
            assertThat(message.path("thinking_blocks").path(0).path("type").asText()).isEqualTo("thinking");
            assertThat(message.path("thinking_blocks").path(0).path("thinking").asText()).isEqualTo("The user wants the weather.");
            assertThat(message.path("thinking_blocks").path(0).path("signature").asText()).isEqualTo("sig-anthropic-EqQBCgIYAh==");
            assertThat(message.path("thinking_blocks").path(1).path("type").asText()).isEqualTo("redacted_thinking");
            assertThat(message.path("thinking_blocks").path(1).path("data").asText()).isEqualTo("EmwKAhgBEgy3va3pzix/Laf==");
        }
        JsonNode usage = body.path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(100);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(20);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(40);
        assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt())
                .isEqualTo(gemini(fake) ? 8 : 0); // Anthropic reports no reasoning tokens of its own
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_stream_tool_calls_as_indexed_deltas_with_id_and_name_first(FakeUpstream fake) {
        use(fake);
        fake.always(answer(fake));

        Api.Stream stream = server.admin().stream("/v1/chat/completions", request(true, QUESTION));

        assertThat(stream.raw().strip()).endsWith("data: [DONE]");
        List<JsonNode> calls = new ArrayList<>();
        StringBuilder reasoning = new StringBuilder();
        StringBuilder text = new StringBuilder();
        List<JsonNode> blocks = new ArrayList<>();
        String finish = null;
        for (JsonNode chunk : stream.events()) {
            JsonNode delta = chunk.path("choices").path(0).path("delta");
            delta.path("tool_calls").forEach(calls::add);
            delta.path("thinking_blocks").forEach(blocks::add);
            reasoning.append(delta.path("reasoning_content").asText(""));
            text.append(delta.path("content").asText(""));
            if (chunk.path("choices").path(0).path("finish_reason").isTextual()) {
                finish = chunk.path("choices").path(0).path("finish_reason").asText();
            }
        }
        assertThat(finish).isEqualTo("tool_calls");
        assertThat(text.toString()).isEqualTo("Let me check.");
        assertThat(reasoning.toString()).isEqualTo("The user wants the weather.");
        assertThat(calls).allSatisfy(c -> assertThat(c.path("index").asInt()).isZero());
        assertThat(calls.getFirst().path("id").asText()).isNotBlank();
        assertThat(calls.getFirst().path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(calls.subList(1, calls.size())).allSatisfy(c -> assertThat(c.has("id")).isFalse());
        StringBuilder arguments = new StringBuilder();
        calls.forEach(c -> arguments.append(c.path("function").path("arguments").asText("")));
        assertThat(json(arguments.toString())).isEqualTo(json("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        if (gemini(fake)) {
            assertThat(calls).anySatisfy(c -> assertThat(c.path("extra_content").path("google").path("thought_signature").asText())
                    .isEqualTo("gemini-call-signature=="));
        } else {
            assertThat(blocks).extracting(b -> b.path("type").asText() + ":" + b.path("signature").asText("") + b.path("data").asText(""))
                    .containsExactly("thinking:sig-anthropic-EqQBCgIYAh==", "redacted_thinking:EmwKAhgBEgy3va3pzix/Laf==");
        }
        JsonNode usage = stream.events().getLast().path("usage");
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(40);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_send_the_reasoning_state_a_caller_returns_back_to_the_provider_byte_for_byte(FakeUpstream fake) {
        use(fake);
        fake.always(answer(fake));
        JsonNode message = server.admin().post("/v1/chat/completions", request(false, QUESTION)).json()
                .path("choices").path(0).path("message");
        fake.always(Reply.text("18 degrees."));
        List<Map<String, Object>> next = new ArrayList<>(QUESTION);
        next.add(JSON.convertValue(message, Map.class));
        next.add(Map.of("role", "tool", "tool_call_id", message.path("tool_calls").path(0).path("id").asText(), "content", "18 degrees"));

        Api.Response answer = server.admin().post("/v1/chat/completions", request(false, next));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<ChatMessage> received = fake.received(fake.requests().getLast()).messages();
        ChatMessage.Assistant sent = (ChatMessage.Assistant) received.get(received.size() - 2);
        if (gemini(fake)) {
            assertThat(sent.toolCalls().getFirst().signature()).isEqualTo("gemini-call-signature==");
        } else {
            assertThat(sent.reasoning()).extracting(Part.Reasoning::signature, Part.Reasoning::redacted)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("sig-anthropic-EqQBCgIYAh==", null),
                            org.assertj.core.groups.Tuple.tuple(null, "EmwKAhgBEgy3va3pzix/Laf=="));
        }
        ChatMessage.Tool result = (ChatMessage.Tool) received.getLast();
        assertThat(result.text()).contains("18 degrees");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
