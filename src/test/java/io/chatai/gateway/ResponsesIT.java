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
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Received;
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
 * {@code POST /v1/responses} translated to each channel type (OpenAI chat completions, Anthropic, Gemini):
 * the response object and its output items, the streamed events in their documented order, a function tool
 * loop continued by {@code previous_response_id} and by replaying the whole input, with the provider's
 * reasoning state back byte for byte either way, and structured output.
 */
class ResponsesIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<FakeUpstream> FAKES = List.of(new FakeOpenAi(), new FakeAnthropic(), new FakeGemini());
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);
    static final Map<String, Object> WEATHER = Map.of("type", "function", "name", "get_weather",
            "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))));
    static final TokenUsage USAGE = new TokenUsage(100, 20, 40, 0, 8, false);
    static final String ARGUMENTS = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";

    static List<FakeUpstream> fakes() {
        return FAKES;
    }

    static void use(FakeUpstream fake) {
        fake.resetScript();
        server.deleteChannels();
        server.addChannel(fake, Map.of("name", fake.type(), "models", List.of("*")));
    }

    static String origin(FakeUpstream fake) {
        return switch (fake.type()) {
            case "gemini" -> Part.Reasoning.GEMINI;
            case "anthropic" -> Part.Reasoning.ANTHROPIC;
            default -> Part.Reasoning.OPENAI;
        };
    }

    /** Reasoning (signed where the provider signs), text, and a call (Gemini's with its thought signature). */
    static Reply answer(FakeUpstream fake) {
        String origin = origin(fake);
        boolean signed = !origin.equals(Part.Reasoning.OPENAI);
        List<Part> parts = new ArrayList<>();
        parts.add(new Part.Reasoning("The user wants the weather.", signed ? "sig-" + origin + "-EqQBCgIYAh==" : null, null, origin));
        parts.add(new Part.Text("Let me check."));
        parts.add(new Part.ToolCall("call_1", "get_weather", ARGUMENTS, origin.equals(Part.Reasoning.GEMINI) ? "gemini-call-signature==" : null));
        return Reply.rich(FinishReason.TOOL_CALLS, USAGE, parts.toArray(Part[]::new));
    }

    static Map<String, Object> request(Object input, boolean stream) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", "some-model");
        body.put("input", input);
        body.put("tools", List.of(WEATHER));
        body.put("stream", stream);
        return body;
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_answer_a_response_with_reasoning_text_and_a_function_call(FakeUpstream fake) {
        use(fake);
        fake.always(answer(fake));

        Api.Response answer = server.admin().post("/v1/responses", request("Weather in Paris?", false));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode response = answer.json();
        assertThat(response.path("id").asText()).startsWith("resp_");
        assertThat(response.path("object").asText()).isEqualTo("response");
        assertThat(response.path("status").asText()).isEqualTo("completed");
        assertThat(response.path("model").asText()).isEqualTo("some-model");
        List<String> types = new ArrayList<>();
        response.path("output").forEach(item -> types.add(item.path("type").asText()));
        assertThat(types).containsExactly("reasoning", "message", "function_call");
        JsonNode output = response.path("output");
        assertThat(output.path(0).path("summary").path(0).path("text").asText()).isEqualTo("The user wants the weather.");
        assertThat(output.path(0).has("encrypted_content")).as("only when include asks for it").isFalse();
        assertThat(output.path(1).path("content").path(0).path("type").asText()).isEqualTo("output_text");
        assertThat(output.path(1).path("content").path(0).path("text").asText()).isEqualTo("Let me check.");
        assertThat(output.path(2).path("name").asText()).isEqualTo("get_weather");
        assertThat(output.path(2).path("call_id").asText()).isNotBlank();
        assertThat(json(output.path(2).path("arguments").asText())).isEqualTo(json(ARGUMENTS));
        JsonNode usage = response.path("usage");
        assertThat(usage.path("input_tokens").asInt()).isEqualTo(100);
        assertThat(usage.path("output_tokens").asInt()).isEqualTo(20);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(120);
        assertThat(usage.path("input_tokens_details").path("cached_tokens").asInt()).isEqualTo(40);
        assertThat(usage.path("output_tokens_details").path("reasoning_tokens").asInt())
                .isEqualTo(fake.type().equals("anthropic") ? 0 : 8); // Anthropic reports no reasoning tokens of its own
        assertThat(fake.received(fake.requests().getLast()).toolNames()).containsExactly("get_weather");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_stream_the_documented_events_in_order_with_sequence_numbers(FakeUpstream fake) {
        use(fake);
        fake.always(answer(fake));

        Api.Stream stream = server.admin().stream("/v1/responses", request("Weather in Paris?", true));

        assertThat(stream.status()).isEqualTo(200);
        List<String> types = stream.types();
        assertThat(types.subList(0, 2)).containsExactly("response.created", "response.in_progress");
        assertThat(types.getLast()).isEqualTo("response.completed");
        for (int i = 0; i < stream.events().size(); i++) {
            assertThat(stream.events().get(i).path("sequence_number").asInt()).isEqualTo(i);
        }
        assertThat(stream.raw()).contains("event: response.output_text.delta\ndata: ");
        assertThat(types.stream().filter(t -> !t.equals("response.output_text.delta") && !t.equals("response.function_call_arguments.delta")
                && !t.equals("response.reasoning_summary_text.delta")).distinct().toList()).containsExactly(
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.done",
                "response.reasoning_summary_part.done", "response.output_item.done",
                "response.content_part.added", "response.output_text.done", "response.content_part.done",
                "response.function_call_arguments.done", "response.completed");
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        List<JsonNode> done = new ArrayList<>();
        for (JsonNode event : stream.events()) {
            switch (event.path("type").asText()) {
                case "response.output_text.delta" -> text.append(event.path("delta").asText());
                case "response.reasoning_summary_text.delta" -> reasoning.append(event.path("delta").asText());
                case "response.function_call_arguments.delta" -> arguments.append(event.path("delta").asText());
                case "response.output_item.done" -> done.add(event.path("item"));
                default -> {
                }
            }
        }
        assertThat(text.toString()).isEqualTo("Let me check.");
        assertThat(reasoning.toString()).isEqualTo("The user wants the weather.");
        assertThat(json(arguments.toString())).isEqualTo(json(ARGUMENTS));
        JsonNode completed = stream.events().getLast().path("response");
        assertThat(completed.path("status").asText()).isEqualTo("completed");
        assertThat(completed.path("output")).hasSize(3);
        assertThat(List.of(completed.path("output").get(0), completed.path("output").get(1), completed.path("output").get(2)))
                .isEqualTo(done);
        assertThat(completed.path("usage").path("input_tokens_details").path("cached_tokens").asInt()).isEqualTo(40);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_continue_a_tool_loop_with_previous_response_id_and_give_the_reasoning_state_back(FakeUpstream fake) {
        use(fake);
        fake.always(answer(fake));
        JsonNode first = server.admin().post("/v1/responses", request("Weather in Paris?", false)).json();
        String callId = first.path("output").path(2).path("call_id").asText();
        fake.always(Reply.text("18 degrees in Paris."));

        Map<String, Object> next = request(List.of(Map.of("type", "function_call_output", "call_id", callId, "output", "18 degrees")), false);
        next.put("previous_response_id", first.path("id").asText());
        Api.Response answer = server.admin().post("/v1/responses", next);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo("18 degrees in Paris.");
        assertThat(answer.json().path("previous_response_id").asText()).isEqualTo(first.path("id").asText());
        assertReceivedTheLoop(fake, fake.received(fake.requests().getLast()));
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_continue_a_tool_loop_from_the_whole_input_replayed_with_encrypted_reasoning(FakeUpstream fake) {
        use(fake);
        fake.always(answer(fake));
        Map<String, Object> first = request(List.of(Map.of("role", "user", "content", "Weather in Paris?")), true);
        first.put("store", false);
        first.put("include", List.of("reasoning.encrypted_content"));
        Api.Stream stream = server.admin().stream("/v1/responses", first);
        JsonNode output = stream.events().getLast().path("response").path("output");
        fake.always(Reply.text("18 degrees in Paris."));

        List<Object> input = new ArrayList<>();
        input.add(Map.of("role", "user", "content", "Weather in Paris?"));
        output.forEach(item -> input.add(JSON.convertValue(item, Map.class)));
        String callId = output.get(output.size() - 1).path("call_id").asText();
        input.add(Map.of("type", "function_call_output", "call_id", callId, "output", "18 degrees"));
        Map<String, Object> next = request(input, false);
        next.put("store", false);
        Api.Response answer = server.admin().post("/v1/responses", next);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertReceivedTheLoop(fake, fake.received(fake.requests().getLast()));
        assertThat(server.admin().get("/v1/responses/" + answer.json().path("id").asText()).status())
                .as("store: false keeps nothing").isEqualTo(404);
    }

    private static void assertReceivedTheLoop(FakeUpstream fake, Received received) {
        List<ChatMessage> messages = received.messages();
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).text()).isEqualTo("Weather in Paris?");
        ChatMessage.Assistant assistant = (ChatMessage.Assistant) messages.get(1);
        Part.ToolCall call = assistant.toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(json(call.arguments())).isEqualTo(json(ARGUMENTS));
        switch (fake.type()) {
            case "gemini" -> assertThat(call.signature()).isEqualTo("gemini-call-signature==");
            case "anthropic" -> assertThat(assistant.reasoning()).extracting(Part.Reasoning::signature)
                    .containsExactly("sig-anthropic-EqQBCgIYAh==");
            default -> {
            }
        }
        ChatMessage.Tool result = (ChatMessage.Tool) messages.get(2);
        assertThat(result.text()).contains("18 degrees");
        if (!fake.type().equals("gemini")) { // Gemini's fake names calls and results by the function's name
            assertThat(result.toolCallId()).isEqualTo(call.id());
        }
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_ask_every_provider_for_the_json_schema_of_text_format(FakeUpstream fake) {
        use(fake);
        fake.always(Reply.text("{\"city\":\"Paris\"}"));
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")),
                "required", List.of("city"), "additionalProperties", false);
        Map<String, Object> body = request("Where?", false);
        body.put("text", Map.of("format", Map.of("type", "json_schema", "name", "place", "schema", schema, "strict", true)));

        Api.Response answer = server.admin().post("/v1/responses", body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(answer.json().path("text").path("format").path("name").asText()).isEqualTo("place");
        assertThat(fake.received(fake.requests().getLast()).schema()).isEqualTo(JSON.valueToTree(schema));
    }

    @org.junit.jupiter.api.Test
    void should_end_an_answer_cut_by_the_token_limit_as_incomplete_and_a_broken_stream_as_failed() {
        FakeUpstream fake = FAKES.getFirst();
        use(fake);
        fake.always(Reply.rich(FinishReason.LENGTH, USAGE, new Part.Text("Paris is the cap")));
        Map<String, Object> body = request("Capital of France?", false);
        body.put("max_output_tokens", 5);

        JsonNode cut = server.admin().post("/v1/responses", body).json();
        body.put("stream", true);
        Api.Stream cutStream = server.admin().stream("/v1/responses", body);
        fake.always(Reply.text("Paris ", "is ", "the ").failingMidStream(500, "upstream broke"));
        Api.Stream broken = server.admin().stream("/v1/responses", request("Capital of France?", true));

        assertThat(cut.path("status").asText()).isEqualTo("incomplete");
        assertThat(cut.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
        assertThat(cut.path("max_output_tokens").asInt()).isEqualTo(5);
        assertThat(cutStream.types().getLast()).isEqualTo("response.incomplete");
        assertThat(broken.status()).isEqualTo(200);
        assertThat(broken.types()).contains("response.output_text.delta");
        assertThat(broken.types().getLast()).isEqualTo("response.failed");
        JsonNode failed = broken.events().getLast().path("response");
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").path("message").asText()).isNotBlank();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
