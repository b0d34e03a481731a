package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.McpTestServer;
import io.chatai.testing.Received;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tool turn end to end on every provider type: the model (each provider's wire-format fake) asks for a tool of a
 * real MCP server (the official TypeScript SDK's), the server runs it, sends the result and the model's reasoning
 * state back, and commits the whole turn; the answer, the conversation, the usage rows and the tool-execution log
 * all show it the same way whatever the channel type.
 */
class ToolTurnIT {
    static final List<FakeUpstream> FAKES = List.of(new FakeOpenAi(), new FakeAnthropic(), new FakeGemini());
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);
    static final Api api = server.admin();
    static McpTestServer tools;

    @BeforeAll
    static void connect() throws InterruptedException {
        McpTestServer.assumeAvailable();
        tools = McpTestServer.start("streamable-http");
        ToolTurns.connect(api, "kit", tools.url());
        ToolTurns.preset(api, "tooled", Map.of("tools", List.of("kit.*")));
    }

    @AfterAll
    static void stop() {
        if (tools != null) {
            tools.close();
        }
    }

    static List<FakeUpstream> fakes() {
        return FAKES;
    }

    static void use(FakeUpstream fake) {
        fake.resetScript();
        server.deleteChannels();
        server.addChannel(fake, Map.of("name", fake.type(), "models", List.of("*")));
    }

    /** The reasoning a provider of this type produces with a tool call, with its opaque state. */
    static Part.Reasoning reasoning(FakeUpstream fake) {
        return switch (fake.type()) {
            case "openai" -> Part.Reasoning.text("SECRET-THOUGHT: add them.", Part.Reasoning.OPENAI);
            default -> new Part.Reasoning("SECRET-THOUGHT: add them.", "c2lnbmF0dXJlLW9mLXRoZS10aG91Z2h0" + fake.type(),
                    null, fake.type());
        };
    }

    /** Adds 2 and 40 with the kit, then answers with what the tool said. */
    static void scriptAddition(FakeUpstream fake) {
        fake.scriptRequests(recorded -> {
            Received received = fake.received(recorded);
            if (received.messages().getLast() instanceof ChatMessage.Tool result) {
                return Reply.text("The sum is ", result.text() + ".");
            }
            return Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(20, 7, false), reasoning(fake),
                    new Part.ToolCall("call_add", "kit__add", "{\"a\":2,\"b\":40}", null));
        });
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_run_a_tool_round_and_answer_the_same_way_on_every_channel_type(FakeUpstream fake) {
        use(fake);
        scriptAddition(fake);

        Api.Response response = api.post("/api/chat", Map.of("message", "What is 2+40?", "userId", ToolTurns.user(),
                "preset", "tooled"));

        assertThat(response.status()).isEqualTo(200);
        JsonNode data = response.data();
        assertThat(data.path("response").asText()).isEqualTo("The sum is 42.");
        assertThat(response.body()).doesNotContain("SECRET-THOUGHT");
        JsonNode call = data.path("toolCalls").get(0);
        assertThat(data.path("toolCalls")).hasSize(1);
        assertThat(call.path("id").asText()).isNotEmpty();
        assertThat(call.path("name").asText()).isEqualTo("kit.add");
        assertThat(call.path("arguments")).isEqualTo(ToolTurns.json("{\"a\":2,\"b\":40}"));
        assertThat(call.path("result").asText()).isEqualTo("42");
        assertThat(call.path("isError").asBoolean()).isFalse();
        assertThat(call.path("durationMs").isIntegralNumber()).isTrue();
        // usage of both model calls together
        assertThat(data.path("usage").path("promptTokens").asInt()).isGreaterThan(20);

        assertThat(fake.requests()).hasSize(2);
        Received first = fake.received(fake.requests().getFirst());
        assertThat(first.toolNames()).contains("kit__add", "kit__echo").doesNotContain("kit__bad.name");
        Received second = fake.received(fake.requests().getLast());
        List<ChatMessage> sent = second.messages();
        assertThat(sent).extracting(ChatMessage::role).containsExactly(ChatMessage.Role.USER, ChatMessage.Role.ASSISTANT,
                ChatMessage.Role.TOOL);
        ChatMessage.Assistant asked = (ChatMessage.Assistant) sent.get(1);
        assertThat(asked.toolCalls()).extracting(Part.ToolCall::name).containsExactly("kit__add");
        // the reasoning state goes back byte for byte within the turn (signature, or DeepSeek's reasoning_content)
        assertThat(opaqueState(asked.content())).isEqualTo(opaqueState(List.of(reasoning(fake))));
        ChatMessage.Tool result = (ChatMessage.Tool) sent.get(2);
        assertThat(result.text()).isEqualTo("42");
        assertThat(result.isError()).isFalse();

        String conversationId = data.path("conversationId").asText();
        ToolTurns.assertStoredAdditionTurn(api, conversationId, "The sum is 42.");
        ToolTurns.assertRecorded(server, conversationId, List.of("kit.add"), 2);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_stream_a_tool_turn_with_tool_events_only_for_a_client_that_asked(FakeUpstream fake) {
        use(fake);
        scriptAddition(fake);

        Api.Stream plain = api.stream("/api/chat/stream", Map.of("message", "What is 2+40?", "userId", ToolTurns.user(),
                "preset", "tooled"));
        Api.Stream withEvents = api.stream("/api/chat/stream", Map.of("message", "What is 2+40?",
                "userId", ToolTurns.user(), "preset", "tooled", "events", List.of("tools")));

        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.types().getFirst()).isEqualTo("start");
        assertThat(plain.types().getLast()).isEqualTo("end");
        assertThat(plain.types().subList(1, plain.types().size() - 1)).isNotEmpty().containsOnly("content");
        assertThat(plain.text()).isEqualTo("The sum is 42.");

        assertThat(withEvents.types()).containsSubsequence("start", "tool_call", "tool_result", "content", "end");
        assertThat(withEvents.types()).filteredOn(t -> !t.equals("content"))
                .containsExactly("start", "tool_call", "tool_result", "end");
        JsonNode toolCall = withEvents.events().get(withEvents.types().indexOf("tool_call"));
        assertThat(ToolTurns.fields(toolCall)).containsExactly("type", "id", "name", "arguments");
        assertThat(toolCall.path("name").asText()).isEqualTo("kit.add");
        assertThat(toolCall.path("arguments")).isEqualTo(ToolTurns.json("{\"a\":2,\"b\":40}"));
        JsonNode toolResult = withEvents.events().get(withEvents.types().indexOf("tool_result"));
        assertThat(ToolTurns.fields(toolResult)).containsExactly("type", "id", "name", "result", "isError", "durationMs");
        assertThat(toolResult.path("id").asText()).isEqualTo(toolCall.path("id").asText());
        assertThat(toolResult.path("result").asText()).isEqualTo("42");
        assertThat(withEvents.text()).isEqualTo("The sum is 42.");
        assertThat(withEvents.raw()).doesNotContain("SECRET-THOUGHT");
        ToolTurns.assertStoredAdditionTurn(api, withEvents.events().getFirst().path("conversationId").asText(),
                "The sum is 42.");
    }

    /** What must come back byte for byte: signatures, and DeepSeek-style reasoning text. */
    static List<String> opaqueState(List<Part> parts) {
        List<String> state = new ArrayList<>();
        for (Part part : parts) {
            if (part instanceof Part.Reasoning r) {
                state.add(r.signature() != null ? r.signature() : r.text());
            } else if (part instanceof Part.ToolCall c) {
                state.add(c.signature()); // where Gemini's reader puts a thought signature that came with a call
            }
        }
        state.removeIf(Objects::isNull);
        return state;
    }
}
