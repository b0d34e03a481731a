package io.chatai.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.ToolChoice;
import io.chatai.core.message.ToolSpec;
import io.chatai.provider.openai.OpenAiProvider;
import io.chatai.testing.DatabaseFree;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.RawUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider contract for OpenAI chat completions, plus what only OpenAI's wire format has. */
@DatabaseFree
class OpenAiProviderIT extends RichMessageContract {

    @Override
    FakeUpstream newFake() {
        return new FakeOpenAi();
    }

    @Override
    String reasoningOrigin() {
        return Part.Reasoning.OPENAI;
    }

    @Override
    boolean reasoningHasSignatures() {
        return false; // DeepSeek-style reasoning_content: the text itself goes back
    }

    @Override
    Provider newProvider(UpstreamHttp http) {
        return new OpenAiProvider(http);
    }

    @Test
    void should_send_a_bearer_key_and_ask_for_usage_in_streams() {
        provider.stream(upstream(Duration.ofSeconds(5)), request("m"), event -> { }, new Cancellation());

        FakeUpstream.Recorded sent = fake.requests().getLast();
        assertThat(sent.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(sent.body().path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(100);
        assertThat(sent.body().path("temperature").asDouble()).isEqualTo(0.5);
    }

    @Test
    void should_spell_every_option_as_the_openai_reference_does() {
        JsonNode schema = json("{\"type\":\"object\",\"properties\":{\"celsius\":{\"type\":\"number\"}}}");
        RequestOptions options = RequestOptions.builder().temperature(0.2).topP(0.9).topK(40).maxTokens(300)
                .stop(List.of("END")).seed(42L).presencePenalty(0.5).frequencyPenalty(-0.5)
                .tools(List.of(new ToolSpec("get_weather", "The weather in a city", WEATHER.parameters(), true)))
                .toolChoice(new ToolChoice.Named("get_weather")).parallelToolCalls(false)
                .responseFormat(new ResponseFormat.JsonSchema("forecast", "A forecast", schema, true))
                .reasoning(new ReasoningOptions("low", null, true)).logprobs(true).topLogprobs(3).n(1).build();

        complete(ask(options, ChatMessage.user("Weather?")));

        ObjectNode expected = (ObjectNode) json("""
                {"model":"model-x","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather?"}],
                 "temperature":0.2,"top_p":0.9,"max_tokens":300,"stop":["END"],"seed":42,"presence_penalty":0.5,
                 "frequency_penalty":-0.5,
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"The weather in a city",
                           "parameters":%s,"strict":true}}],
                 "tool_choice":{"type":"function","function":{"name":"get_weather"}},"parallel_tool_calls":false,
                 "response_format":{"type":"json_schema","json_schema":{"name":"forecast","description":"A forecast",
                                    "schema":%s,"strict":true}},
                 "reasoning_effort":"low","logprobs":true,"top_logprobs":3,"n":1,"stream":false}
                """.formatted(WEATHER.parameters(), schema));
        assertThat(fake.requests().getLast().body()).isEqualTo(expected);
    }

    @Test
    void should_spell_each_tool_choice_and_response_format() {
        for (ToolChoice choice : List.of(ToolChoice.AUTO, ToolChoice.NONE, ToolChoice.REQUIRED)) {
            complete(ask(tools(WEATHER).toBuilder().toolChoice(choice).build(), ChatMessage.user("Weather?")));
            assertThat(fake.requests().getLast().body().path("tool_choice").asText())
                    .isEqualTo(choice.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        }
        for (ResponseFormat format : List.of(new ResponseFormat.Text(), new ResponseFormat.JsonObject())) {
            complete(ask(RequestOptions.builder().responseFormat(format).build(), ChatMessage.user("Weather?")));
            assertThat(fake.requests().getLast().body().path("response_format")).isEqualTo(json(
                    format instanceof ResponseFormat.Text ? "{\"type\":\"text\"}" : "{\"type\":\"json_object\"}"));
        }
    }

    @Test
    void should_leave_out_tool_choice_and_parallel_tool_calls_without_tools() {
        complete(ask(RequestOptions.builder().toolChoice(ToolChoice.NONE).parallelToolCalls(true).build(), ChatMessage.user("hi")));

        JsonNode sent = fake.requests().getLast().body();
        assertThat(sent.has("tools")).isFalse();
        assertThat(sent.has("tool_choice")).as("OpenAI refuses tool_choice without tools").isFalse();
        assertThat(sent.has("parallel_tool_calls")).as("OpenAI refuses parallel_tool_calls without tools").isFalse();
    }

    @Test
    void should_pass_logprobs_and_ask_for_them_when_only_the_top_ones_are_asked_for() {
        complete(ask(RequestOptions.builder().logprobs(true).build(), ChatMessage.user("hi")));
        assertThat(fake.requests().getLast().body().path("logprobs").asBoolean()).isTrue();
        assertThat(fake.requests().getLast().body().has("top_logprobs")).isFalse();

        complete(ask(RequestOptions.builder().topLogprobs(5).build(), ChatMessage.user("hi")));
        assertThat(fake.requests().getLast().body().path("logprobs").asBoolean()).isTrue();
        assertThat(fake.requests().getLast().body().path("top_logprobs").asInt()).isEqualTo(5);
    }

    @Test
    void should_send_a_url_image_and_an_inline_one_as_image_url_parts_with_their_detail() {
        ChatMessage question = new ChatMessage.User(List.of(new Part.Text("Same picture?"),
                new Part.Image(new ImageSource.Url("https://example.com/cat.png"), "low"),
                new Part.Image(new ImageSource.Inline("image/png", PNG), "high")), "alice");

        complete(ask(null, question));

        assertThat(fake.requests().getLast().body().path("messages").path(1)).isEqualTo(json("""
                {"role":"user","name":"alice","content":[{"type":"text","text":"Same picture?"},
                 {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"low"}},
                 {"type":"image_url","image_url":{"url":"data:image/png;base64,%s","detail":"high"}}]}""".formatted(PNG)));
        ChatMessage.User received = (ChatMessage.User) lastReceived().messages().getLast();
        assertThat(Parts.images(received)).containsExactly(new ImageSource.Url("https://example.com/cat.png"),
                new ImageSource.Inline("image/png", PNG));
    }

    @Test
    void should_send_reasoning_content_only_on_assistant_messages_that_carry_tool_calls() {
        Part.Reasoning thought = Part.Reasoning.text("Just greet.", Part.Reasoning.OPENAI);
        Part.Reasoning toolThought = Part.Reasoning.text("Look it up.", Part.Reasoning.OPENAI);
        Part.ToolCall call = new Part.ToolCall("call_7", "get_weather", "{\"city\":\"Oslo\"}", null);

        complete(ask(tools(WEATHER), ChatMessage.user("hi"), new ChatMessage.Assistant(List.of(thought, new Part.Text("Hello!"))),
                ChatMessage.user("Weather in Oslo?"), new ChatMessage.Assistant(List.of(toolThought, call)),
                new ChatMessage.Tool("call_7", "get_weather", List.of(new Part.Text("-3 degrees")), false)));

        JsonNode messages = fake.requests().getLast().body().path("messages");
        assertThat(messages.path(2)).isEqualTo(json("{\"role\":\"assistant\",\"content\":\"Hello!\"}"));
        assertThat(messages.path(4)).isEqualTo(json("""
                {"role":"assistant","reasoning_content":"Look it up.","tool_calls":[{"id":"call_7","type":"function",
                 "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]}"""));
        assertThat(messages.path(5)).isEqualTo(json("{\"role\":\"tool\",\"tool_call_id\":\"call_7\",\"content\":\"-3 degrees\"}"));
    }

    @Test
    void should_read_reasoning_sent_as_reasoning_and_not_twice_when_a_server_sends_both_fields() {
        String stream = chunk("{\"role\":\"assistant\",\"reasoning\":\"Six \"}", null)
                + chunk("{\"reasoning\":\"sevens.\",\"reasoning_content\":\"sevens.\"}", null)
                + chunk("{\"content\":\"42\"}", null) + chunk("{}", "stop") + "data: [DONE]\n\n";
        List<StreamEvent> events = new ArrayList<>();
        try (RawUpstream raw = new RawUpstream(RawUpstream.Framing.CLOSE_DELIMITED, "text/event-stream", stream)) {
            provider.stream(rawUpstream(raw), request("m"), events::add, new Cancellation());
        }
        assertThat(events).containsExactly(new StreamEvent.ReasoningDelta(0, "Six ", null, null, Part.Reasoning.OPENAI),
                new StreamEvent.ReasoningDelta(0, "sevens.", null, null, Part.Reasoning.OPENAI),
                new StreamEvent.TextDelta(1, "42"), new StreamEvent.Done(null, FinishReason.STOP));

        String body = "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"42\",\"reasoning\":\"Six sevens.\"},\"finish_reason\":\"stop\"}]}";
        try (RawUpstream raw = new RawUpstream(RawUpstream.Framing.CLOSE_DELIMITED, "application/json", body)) {
            Completion completion = provider.complete(rawUpstream(raw), request("m"), new Cancellation());
            assertThat(completion.content()).containsExactly(Part.Reasoning.text("Six sevens.", Part.Reasoning.OPENAI), new Part.Text("42"));
        }
    }

    @Test
    void should_refuse_more_than_one_choice_and_images_in_tool_results_before_any_call() {
        Part.ToolCall call = new Part.ToolCall("call_1", "screenshot", "{}", null);
        ModelRequest imageResult = ask(null, ChatMessage.user("Look"), new ChatMessage.Assistant(List.of(call)),
                new ChatMessage.Tool("call_1", "screenshot", List.of(new Part.Text("here"),
                        new Part.Image(new ImageSource.Inline("image/png", PNG), null)), false));

        assertThat(provider.unsupported(ask(RequestOptions.builder().n(2).build(), ChatMessage.user("hi")))).contains("n");
        assertThat(provider.unsupported(imageResult)).contains("messages[3].content[1]");
        assertThat(provider.unsupported(ask(RequestOptions.builder().n(1).logprobs(true).seed(1L).build(), ChatMessage.user("hi"))))
                .isEmpty();
    }

    private static String chunk(String delta, String finishReason) {
        return "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
    }
}
