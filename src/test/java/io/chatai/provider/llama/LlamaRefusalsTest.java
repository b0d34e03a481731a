package io.chatai.provider.llama;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.ToolChoice;
import io.chatai.core.message.ToolSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the local provider refuses before any work, named as an OpenAI client spells the field, and what it takes. */
class LlamaRefusalsTest {
    static final LlamaProvider provider = new LlamaProvider(null);
    static final ChatMessage HELLO = ChatMessage.user("hello");
    static final ToolSpec WEATHER = new ToolSpec("weather", "The weather in a city", Json.MAPPER.createObjectNode().put("type", "object"), null);

    static Optional<String> refused(RequestOptions options, ChatMessage... messages) {
        return provider.unsupported(new ModelRequest("tiny", List.of(messages), options));
    }

    static Optional<String> refused(RequestOptions.Builder options) {
        return refused(options.build(), HELLO);
    }

    @Test
    void should_name_an_image_part_by_its_message_and_content_index() {
        ChatMessage withImage = new ChatMessage.User(List.of(new Part.Text("what is this?"),
                new Part.Image(new ImageSource.Url("https://example.com/cat.png"), null)), null);

        assertThat(refused(RequestOptions.NONE, ChatMessage.system("Be brief."), withImage)).contains("messages[1].content[1]");
    }

    @Test
    void should_refuse_tool_calls_and_tool_results_in_the_history() {
        ChatMessage call = new ChatMessage.Assistant(List.of(new Part.Text("Let me look."),
                new Part.ToolCall("call_1", "weather", "{\"city\":\"Paris\"}", null)));
        ChatMessage result = new ChatMessage.Tool("call_1", "weather", List.of(new Part.Text("sunny")), false);

        assertThat(refused(RequestOptions.NONE, HELLO, call, result)).contains("messages[1].tool_calls");
        assertThat(refused(RequestOptions.NONE, HELLO, ChatMessage.assistant("ok"), result)).contains("messages[2].role");
    }

    @Test
    void should_refuse_what_the_answer_cannot_carry_or_the_binding_cannot_do() {
        assertThat(refused(RequestOptions.builder().n(2))).contains("n");
        assertThat(refused(RequestOptions.builder().logprobs(true))).contains("logprobs");
        assertThat(refused(RequestOptions.builder().topLogprobs(3))).contains("top_logprobs");
        assertThat(refused(RequestOptions.builder().reasoning(new ReasoningOptions("high", null, null)))).contains("reasoning_effort");
        assertThat(refused(RequestOptions.builder().reasoning(new ReasoningOptions(null, 2048, null)))).contains("reasoning_effort");
        assertThat(refused(RequestOptions.builder().tools(List.of(WEATHER)))).contains("tools");
        assertThat(refused(RequestOptions.builder().tools(List.of(WEATHER)).toolChoice(ToolChoice.REQUIRED))).contains("tools");
        assertThat(refused(RequestOptions.builder().toolChoice(new ToolChoice.Named("weather")))).contains("tool_choice");
    }

    @Test
    void should_name_the_keyword_of_a_schema_the_grammar_cannot_enforce() throws Exception {
        ResponseFormat format = new ResponseFormat.JsonSchema("code", null, Json.tree("""
                {"type":"object","properties":{"code":{"type":"string","pattern":"^[A-Z]{3}$"}}}"""), true);

        assertThat(refused(RequestOptions.builder().responseFormat(format)))
                .contains("response_format.json_schema.schema.properties.code.pattern");
    }

    @Test
    void should_name_the_first_refused_field_messages_before_options() {
        ChatMessage withImage = new ChatMessage.User(List.of(new Part.Image(new ImageSource.Inline("image/png", "iVBORw0KGgo="), "low")), null);

        assertThat(refused(RequestOptions.builder().n(3).logprobs(true).build(), withImage)).contains("messages[0].content[0]");
    }

    @Test
    void should_take_every_option_llama_cpp_can_honour_and_drop_hints() throws Exception {
        RequestOptions options = RequestOptions.builder().temperature(0.5).topP(0.9).topK(40).maxTokens(100)
                .stop(List.of("END", "\n\n")).seed(7L).presencePenalty(0.5).frequencyPenalty(-0.5).n(1).logprobs(false)
                .parallelToolCalls(true).reasoning(new ReasoningOptions(null, null, true))
                .responseFormat(new ResponseFormat.JsonSchema("answer", null, Json.tree("""
                        {"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}"""), true))
                .build();
        ChatMessage withReasoning = new ChatMessage.Assistant(List.of(Part.Reasoning.text("thinking", Part.Reasoning.OPENAI),
                new Part.Text("hi")));

        assertThat(refused(options, ChatMessage.system("Be brief."), new ChatMessage.User(List.of(new Part.Text("hello")), "ann"),
                withReasoning, HELLO)).isEmpty();
        assertThat(refused(RequestOptions.builder().responseFormat(new ResponseFormat.JsonObject()))).isEmpty();
        // Tools nobody may call change nothing the model does.
        assertThat(refused(RequestOptions.builder().tools(List.of(WEATHER)).toolChoice(ToolChoice.NONE))).isEmpty();
    }
}
