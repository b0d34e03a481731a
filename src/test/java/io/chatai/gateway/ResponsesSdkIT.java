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
 * The official OpenAI SDKs for Python ({@code src/test/python/openai_sdk_responses.py}) and Node.js
 * ({@code src/test/sdk-node/responses.mjs}) run {@code responses.create} through {@code /v1/responses}: a tool
 * loop continued by {@code previous_response_id} (then {@code retrieve} and {@code delete}), the same loop with the
 * whole input replayed, and a streamed tool call read by the SDK's own stream helper (which checks the event
 * order), against a fake upstream of each type. Skipped, saying why, where Python with {@code openai} or Node.js
 * 20 cannot be had.
 */
class ResponsesSdkIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<FakeUpstream> FAKES = List.of(new FakeOpenAi(), new FakeAnthropic(), new FakeGemini());
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);

    static List<FakeUpstream> fakes() {
        return FAKES;
    }

    /** The tool's result came back: the answer; otherwise reasoning (signed where the provider signs) and a call. */
    static int before; // the fake's requests before this test: each fake serves the Python and the Node test

    static void use(FakeUpstream fake) {
        before = fake.requests().size();
        server.deleteChannels();
        server.addChannel(fake, Map.of("name", "sdk-" + fake.type(), "models", List.of("*")));
        String origin = switch (fake.type()) {
            case "gemini" -> Part.Reasoning.GEMINI;
            case "anthropic" -> Part.Reasoning.ANTHROPIC;
            default -> Part.Reasoning.OPENAI;
        };
        fake.scriptRequests(recorded -> recorded.raw().contains("temperature")
                ? Reply.text("It is 18 degrees in Paris.")
                : Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(20, 10, false),
                new Part.Reasoning("Weather needs a tool.", origin.equals(Part.Reasoning.OPENAI) ? null : "sig-" + origin, null, origin),
                new Part.ToolCall("call_weather_1", "get_weather", "{\"city\":\"Paris\"}",
                        origin.equals(Part.Reasoning.GEMINI) ? "gemini-signature==" : null)));
    }

    static Map<String, String> env(FakeUpstream fake) {
        return Map.of("BASE_URL", server.baseUrl() + "/v1", "API_KEY", TestServer.ADMIN_KEY, "MODEL", "sdk-" + fake.type() + "-model");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_serve_the_python_sdk(FakeUpstream fake) throws Exception {
        String python = SdkClients.python();
        Assumptions.assumeTrue(python != null, "no python3 with the openai package, and none could be installed (pip install openai)");
        use(fake);

        JsonNode result = JSON.readTree(SdkClients.run(List.of(python, "src/test/python/openai_sdk_responses.py"), null, env(fake)));

        assertResults(fake, result);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_serve_the_node_sdk(FakeUpstream fake) throws Exception {
        Path sdk = SdkClients.nodeSdk();
        Assumptions.assumeTrue(sdk != null, "Node.js 20 or newer with npm is not on the PATH, or npm ci failed in src/test/sdk-node");
        use(fake);

        JsonNode result = JSON.readTree(SdkClients.run(List.of("node", "responses.mjs"), sdk, env(fake)));

        assertResults(fake, result);
    }

    private static void assertResults(FakeUpstream fake, JsonNode result) {
        JsonNode chained = result.path("chained");
        assertThat(chained.path("id").asText()).startsWith("resp_");
        assertThat(chained.path("status").asText()).isEqualTo("completed");
        assertThat(chained.path("name").asText()).isEqualTo("get_weather");
        assertThat(chained.path("arguments")).isEqualTo(JSON.createObjectNode().put("city", "Paris"));
        assertThat(chained.path("answer").asText()).isEqualTo("It is 18 degrees in Paris.");
        assertThat(chained.path("storedAnswer").asText()).isEqualTo("It is 18 degrees in Paris.");
        assertThat(chained.path("previous").asText()).isEqualTo(chained.path("id").asText());
        assertThat(chained.path("deletedGone").asBoolean()).isTrue();
        assertThat(chained.path("totalTokens").asInt()).isPositive();
        JsonNode replayed = result.path("replayed");
        assertThat(replayed.path("name").asText()).isEqualTo("get_weather");
        assertThat(replayed.path("answer").asText()).isEqualTo("It is 18 degrees in Paris.");
        JsonNode streamed = result.path("streamed");
        assertThat(streamed.path("first").asText()).isEqualTo("response.created");
        assertThat(streamed.path("last").asText()).isEqualTo("response.completed");
        assertThat(streamed.path("name").asText()).isEqualTo("get_weather");
        assertThat(streamed.path("arguments")).isEqualTo(JSON.createObjectNode().put("city", "Paris"));
        assertThat(streamed.path("totalTokens").asInt()).isPositive();
        // Both loops gave the provider its tool call back with the result, in its own wire format.
        String id = fake.type().equals("gemini") ? "get_weather" : chained.path("callId").asText();
        var requests = fake.requests().subList(before, fake.requests().size());
        assertThat(requests).filteredOn(r -> r.raw().contains("temperature")).hasSize(2)
                .allSatisfy(r -> assertThat(r.raw()).contains(id).contains("18"));
        if (!fake.type().equals("openai")) { // the signed state came back byte for byte in both loops
            String state = fake.type().equals("gemini") ? "gemini-signature==" : "sig-anthropic";
            assertThat(requests).filteredOn(r -> r.raw().contains("temperature"))
                    .allSatisfy(r -> assertThat(r.raw()).contains(state));
        }
    }
}
