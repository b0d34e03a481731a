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
 * The official Anthropic SDKs for Python ({@code src/test/python/anthropic_sdk_messages.py}, key as
 * {@code x-api-key}) and TypeScript ({@code src/test/sdk-node/messages.mjs}, key as a Bearer token) complete,
 * through {@code /v1/messages}, a tool loop sending the returned blocks back, a stream read with the SDK's
 * helpers and {@code count_tokens}, against a fake upstream of each type: relayed to Anthropic, translated to
 * OpenAI-compatible and Gemini. Skipped, saying why, where Python with {@code anthropic} or Node.js 20 cannot be had.
 */
class AnthropicSdkIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<FakeUpstream> FAKES = List.of(new FakeAnthropic(), new FakeOpenAi(), new FakeGemini());
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);
    static final String ARGUMENTS = "{\"city\":\"Paris\"}";

    static List<FakeUpstream> fakes() {
        return FAKES;
    }

    /** Thinking (with the state each provider keeps), text, a call; the final answer once the tool's result came back. */
    private static void use(FakeUpstream fake) {
        fake.resetScript();
        server.deleteChannels();
        server.addChannel(fake, Map.of("name", fake.type(), "models", List.of("claude-sonnet-4-5"),
                "modelMapping", Map.of("claude-sonnet-4-5", "upstream-" + fake.type())));
        Part.Reasoning thinking = switch (fake.type()) {
            case "anthropic" -> new Part.Reasoning("Weather needs a tool.", "sig-EqQBCgIYAh==", null, Part.Reasoning.ANTHROPIC);
            case "gemini" -> new Part.Reasoning("Weather needs a tool.", "sig-gemini==", null, Part.Reasoning.GEMINI);
            default -> Part.Reasoning.text("Weather needs a tool.", Part.Reasoning.OPENAI);
        };
        fake.scriptRequests(recorded -> recorded.raw().contains("temperature")
                ? Reply.text("It is 18 degrees ", "in Paris.")
                : Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(30, 12, false), thinking, new Part.Text("Let me check."),
                new Part.ToolCall("call_weather_1", "get_weather", ARGUMENTS, fake.type().equals("gemini") ? "gemini-sig==" : null)));
    }

    private static Map<String, String> env() {
        return Map.of("BASE_URL", server.baseUrl(), "API_KEY", TestServer.ADMIN_KEY, "MODEL", "claude-sonnet-4-5");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_serve_the_python_sdk(FakeUpstream fake) throws Exception {
        String python = SdkClients.anthropicPython();
        Assumptions.assumeTrue(python != null, "no python3 with the anthropic package, and none could be installed (pip install anthropic)");
        use(fake);

        JsonNode result = JSON.readTree(SdkClients.run(List.of(python, "src/test/python/anthropic_sdk_messages.py"), null, env()));

        assertResults(fake, result);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_serve_the_typescript_sdk(FakeUpstream fake) throws Exception {
        Path sdk = SdkClients.nodeSdk();
        Assumptions.assumeTrue(sdk != null, "Node.js 20 or newer with npm is not on the PATH, or npm ci failed in src/test/sdk-node");
        use(fake);

        JsonNode result = JSON.readTree(SdkClients.run(List.of("node", "messages.mjs"), sdk, env()));

        assertResults(fake, result);
    }

    private static void assertResults(FakeUpstream fake, JsonNode result) {
        JsonNode loop = result.path("toolLoop");
        assertThat(loop.path("stop").asText()).isEqualTo("tool_use");
        assertThat(loop.path("blocks")).extracting(JsonNode::asText).containsExactly("thinking", "text", "tool_use");
        assertThat(loop.path("name").asText()).isEqualTo("get_weather");
        assertThat(loop.path("input")).isEqualTo(json(ARGUMENTS));
        assertThat(loop.path("answer").asText()).isEqualTo("It is 18 degrees in Paris.");
        assertThat(loop.path("finalStop").asText()).isEqualTo("end_turn");
        assertThat(fake.requests().stream().map(FakeUpstream.Recorded::model)).allMatch(("upstream-" + fake.type())::equals);

        JsonNode stream = result.path("stream");
        assertThat(stream.path("text").asText()).isEqualTo("Let me check.");
        assertThat(stream.path("stop").asText()).isEqualTo("tool_use");
        assertThat(stream.path("name").asText()).isEqualTo("get_weather");
        assertThat(stream.path("input")).isEqualTo(json(ARGUMENTS));
        assertThat(stream.path("thinking")).extracting(JsonNode::asText).containsExactly("Weather needs a tool.");
        assertThat(stream.path("outputTokens").asInt()).isEqualTo(12);

        int count = result.path("count").asInt();
        if (fake.type().equals("anthropic")) {
            FakeUpstream.Recorded counted = fake.requests().getLast();
            assertThat(counted.path()).isEqualTo("/v1/messages/count_tokens");
            assertThat(count).isEqualTo(FakeAnthropic.tokensCounted(counted.body()));
        } else {
            assertThat(count).as("the server's tokenizer").isBetween(10, 200);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
