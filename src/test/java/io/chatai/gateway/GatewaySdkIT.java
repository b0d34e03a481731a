package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.SdkClients;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official OpenAI SDKs for Python ({@code src/test/python/openai_sdk_chat.py}) and Node.js
 * ({@code src/test/sdk-node/chat.mjs}) complete, through {@code /v1}, a tool loop, a structured-output
 * {@code parse}, an image question and a streamed tool call, against a fake upstream of each type: relayed to an
 * OpenAI-compatible one, translated to Anthropic and Gemini (those need the rich adapters of issue 14). Skipped,
 * saying why, where Python with the {@code openai} package or Node.js 20 cannot be had.
 */
class GatewaySdkIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final FakeOpenAi OPENAI = new FakeOpenAi();
    static final List<FakeUpstream> FAKES = List.of(OPENAI, new FakeAnthropic(), new FakeGemini());
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);

    static List<FakeUpstream> fakes() {
        return FAKES;
    }

    private static final String WEATHER_JSON = "{\"city\":\"Paris\",\"temperature\":18}";
    private static final String TOOL_ARGUMENTS = "{\"city\":\"Paris\"}";

    /** Answers by the wording of the question, whatever the wire format carried it in. */
    private static void script(FakeUpstream fake) {
        fake.scriptRequests(recorded -> {
            String raw = recorded.raw();
            if (raw.contains("as JSON")) {
                return text(fake, recorded.body(), WEATHER_JSON);
            }
            if (raw.contains("temperature")) { // the tool's result came back
                return text(fake, recorded.body(), "It is 18 degrees in Paris.");
            }
            if (raw.contains("What is in this image?")) {
                return text(fake, recorded.body(), raw.contains("iVBORw0KGgo") ? "A red dot." : "I see no image.");
            }
            return toolCall(fake, recorded.body());
        });
    }

    private static Reply text(FakeUpstream fake, JsonNode body, String text) {
        if (fake != OPENAI) {
            return Reply.text(text);
        }
        String quoted = JSON.valueToTree(text).toString();
        if (body.path("stream").asBoolean()) {
            return OPENAI.verbatimStream(chunk("{\"role\":\"assistant\",\"content\":" + quoted + "}", null),
                    chunk("{}", "\"stop\""), usageChunk());
        }
        return Reply.rawError(200, completion("{\"role\":\"assistant\",\"content\":" + quoted + ",\"refusal\":null}", "stop"));
    }

    private static Reply toolCall(FakeUpstream fake, JsonNode body) {
        if (fake != OPENAI) {
            String signature = fake.type().equals("gemini") ? "gemini-signature==" : null;
            return Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(20, 10, false),
                    new Part.ToolCall("call_weather_1", "get_weather", TOOL_ARGUMENTS, signature));
        }
        if (body.path("stream").asBoolean()) {
            return OPENAI.verbatimStream(
                    chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_weather_1\","
                            + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
                    chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null),
                    chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null),
                    chunk("{}", "\"tool_calls\""), usageChunk());
        }
        return Reply.rawError(200, completion("{\"role\":\"assistant\",\"content\":null,\"refusal\":null,\"tool_calls\":[{"
                + "\"id\":\"call_weather_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
                + JSON.valueToTree(TOOL_ARGUMENTS) + "}}]}", "tool_calls"));
    }

    private static String completion(String message, String finish) {
        return "{\"id\":\"chatcmpl-sdk\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"upstream-name\","
                + "\"choices\":[{\"index\":0,\"message\":" + message + ",\"logprobs\":null,\"finish_reason\":\"" + finish + "\"}],"
                + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":10,\"total_tokens\":30},\"system_fingerprint\":\"fp_sdk\"}";
    }

    private static String chunk(String delta, String finish) {
        return "{\"id\":\"chatcmpl-sdk\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"upstream-name\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]}";
    }

    private static String usageChunk() {
        return "{\"id\":\"chatcmpl-sdk\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"upstream-name\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":10,\"total_tokens\":30}}";
    }

    private static void use(FakeUpstream fake) {
        server.deleteChannels();
        server.addChannel(fake, Map.of("name", "sdk-" + fake.type(), "models", List.of("*")));
        script(fake);
    }

    private static Map<String, String> env(FakeUpstream fake) {
        return Map.of("BASE_URL", server.baseUrl() + "/v1", "API_KEY", TestServer.ADMIN_KEY, "MODEL", "sdk-" + fake.type() + "-model");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_serve_the_python_sdk(FakeUpstream fake) throws Exception {
        String python = SdkClients.python();
        Assumptions.assumeTrue(python != null, "no python3 with the openai package, and none could be installed (pip install openai)");
        use(fake);

        JsonNode result = JSON.readTree(SdkClients.run(List.of(python, "src/test/python/openai_sdk_chat.py"), null, env(fake)));

        assertResults(fake, result);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_serve_the_node_sdk(FakeUpstream fake) throws Exception {
        Path sdk = SdkClients.nodeSdk();
        Assumptions.assumeTrue(sdk != null, "Node.js 20 or newer with npm is not on the PATH, or npm ci failed in src/test/sdk-node");
        use(fake);

        JsonNode result = JSON.readTree(SdkClients.run(List.of("node", "chat.mjs"), sdk, env(fake)));

        assertResults(fake, result);
    }

    private static void assertResults(FakeUpstream fake, JsonNode result) {
        JsonNode loop = result.path("toolLoop");
        assertThat(loop.path("finish").asText()).isEqualTo("tool_calls");
        assertThat(loop.path("name").asText()).isEqualTo("get_weather");
        assertThat(loop.path("arguments")).isEqualTo(JSON.createObjectNode().put("city", "Paris"));
        assertThat(loop.path("answer").asText()).isEqualTo("It is 18 degrees in Paris.");
        assertThat(loop.path("finalFinish").asText()).isEqualTo("stop");
        assertThat(result.path("parse").path("city").asText()).isEqualTo("Paris");
        assertThat(result.path("parse").path("temperature").asInt()).isEqualTo(18);
        assertThat(result.path("image").asText()).as("the image reached the upstream").isEqualTo("A red dot.");
        JsonNode streamed = result.path("streamedToolCall");
        assertThat(streamed.path("finish").asText()).isEqualTo("tool_calls");
        assertThat(streamed.path("name").asText()).isEqualTo("get_weather");
        assertThat(streamed.path("id").asText()).isNotBlank();
        assertThat(streamed.path("arguments")).isEqualTo(JSON.createObjectNode().put("city", "Paris"));
        assertThat(streamed.path("totalTokens").asInt()).isPositive();
        // The tool result reached the upstream with the call's id, in the provider's own wire format.
        String id = fake.type().equals("gemini") ? "get_weather" : loop.path("id").asText(); // Gemini's calls have no ids
        assertThat(fake.requests()).anySatisfy(r -> assertThat(r.raw()).contains(id).contains("temperature").contains("18"));
    }
}
