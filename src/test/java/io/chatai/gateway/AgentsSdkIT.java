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
 * The OpenAI Agents SDK for JavaScript ({@code @openai/agents}, pinned in {@code src/test/agents-node}) runs one
 * agent with a function tool through {@code /v1/responses}, its default API: the model asks for the tool, the SDK
 * runs it and sends the result back, and the model's final answer is the run's output, on each channel type.
 * Skipped, saying why, where Node.js 20 or the npm packages cannot be had.
 */
class AgentsSdkIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<FakeUpstream> FAKES = List.of(new FakeOpenAi(), new FakeAnthropic(), new FakeGemini());
    static final Path DIR = Path.of("src/test/agents-node");
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);

    static List<FakeUpstream> fakes() {
        return FAKES;
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_run_a_tool_using_agent(FakeUpstream fake) throws Exception {
        Path sdk = SdkClients.npmInstalled(DIR);
        Assumptions.assumeTrue(sdk != null, "Node.js 20 or newer with npm is not on the PATH, or npm ci failed in " + DIR);
        server.deleteChannels();
        server.addChannel(fake, Map.of("name", "agents-" + fake.type(), "models", List.of("*")));
        fake.scriptRequests(recorded -> recorded.raw().contains("temperature")
                ? Reply.text("It is 18 degrees in Paris.")
                : Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(30, 10, false),
                new Part.ToolCall("call_agent_1", "get_weather", "{\"city\":\"Paris\"}", null)));

        JsonNode result = JSON.readTree(SdkClients.run(List.of("node", "agent.mjs"), sdk, Map.of("BASE_URL",
                server.baseUrl() + "/v1", "API_KEY", TestServer.ADMIN_KEY, "MODEL", "agents-" + fake.type() + "-model")));

        assertThat(result.path("calls")).extracting(JsonNode::asText).containsExactly("Paris");
        assertThat(result.path("finalOutput").asText()).isEqualTo("It is 18 degrees in Paris.");
        assertThat(fake.received(fake.requests().getLast()).system()).isEqualTo("Answer with the weather tool.");
    }
}
