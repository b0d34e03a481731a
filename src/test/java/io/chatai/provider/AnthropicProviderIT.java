package io.chatai.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.chatai.core.message.TokenUsage;
import io.chatai.core.message.ToolChoice;
import io.chatai.provider.anthropic.AnthropicProvider;
import io.chatai.testing.DatabaseFree;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The provider contract for Anthropic Messages, plus what only Anthropic's wire format has. */
@DatabaseFree
class AnthropicProviderIT extends RichMessageContract {

    @Override
    FakeUpstream newFake() {
        return new FakeAnthropic();
    }

    @Override
    String reasoningOrigin() {
        return Part.Reasoning.ANTHROPIC;
    }

    @Override
    boolean hasRedactedReasoning() {
        return true;
    }

    @Override
    TokenUsage usageAsReported(TokenUsage full) {
        // Anthropic reports cache reads and writes but no separate thinking tokens.
        return new TokenUsage(full.promptTokens(), full.completionTokens(), full.cachedPromptTokens(),
                full.cacheCreationTokens(), 0, false);
    }

    @Override
    Provider newProvider(UpstreamHttp http) {
        return new AnthropicProvider(http);
    }

    @Test
    void should_send_the_version_header_no_system_role_and_the_presets_max_tokens() {
        provider.complete(upstream(Duration.ofSeconds(5)), request("claude-x"), new Cancellation());

        FakeUpstream.Recorded sent = fake.requests().getLast();
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("x-api-key")).isEqualTo(KEY);
        assertThat(sent.authorization()).isNull();
        assertThat(sent.messages()).noneMatch(m -> m.path("role").asText().equals("system"));
        assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(100);
        assertThat(sent.body().path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(sent.body().has("top_p")).isFalse();
    }

    @Test
    void should_supply_max_tokens_when_the_preset_has_none() {
        ModelRequest noLimit = new ModelRequest("claude-x", List.of(ChatMessage.user("hi")), null, null, null);

        provider.complete(upstream(Duration.ofSeconds(5)), noLimit, new Cancellation());

        FakeUpstream.Recorded sent = fake.requests().getLast();
        assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(sent.body().has("system")).isFalse();
        assertThat(sent.body().has("temperature")).isFalse();
    }

    @Test
    void should_leave_out_empty_messages_which_anthropic_refuses() {
        ModelRequest withEmpty = new ModelRequest("claude-x", List.of(ChatMessage.user("a"), ChatMessage.assistant(""),
                ChatMessage.user("b")), null, null, null);

        provider.complete(upstream(Duration.ofSeconds(5)), withEmpty, new Cancellation());

        assertThat(fake.conversationOf(fake.requests().getLast())).containsExactly("user: a", "user: b");
    }

    /** The request body as it reached the fake. */
    JsonNode sentBody() {
        return fake.requests().getLast().body();
    }

    @Test
    void should_merge_consecutive_tool_results_into_one_user_turn_with_is_error() {
        fake.always(Reply.text("Paris is sunny; the clock is broken."));
        ChatMessage.Assistant calls = new ChatMessage.Assistant(List.of(new Part.Text("Checking."),
                new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}", null),
                new Part.ToolCall("call_2", "get_time", "{\"city\":\"Paris\"}", null)));

        complete(ask(tools(WEATHER, TIME), ChatMessage.user("Weather and time in Paris?"), calls,
                new ChatMessage.Tool("call_1", "get_weather", List.of(new Part.Text("sunny")), false),
                new ChatMessage.Tool("call_2", "get_time", List.of(new Part.Text("clock unavailable")), true),
                ChatMessage.user("And tomorrow?")));

        JsonNode messages = sentBody().path("messages");
        assertThat(messages).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant", "user", "user");
        assertThat(messages.path(1).path("content")).extracting(b -> b.path("type").asText())
                .containsExactly("text", "tool_use", "tool_use");
        assertThat(messages.path(1).path("content").path(1).path("input")).isEqualTo(json("{\"city\":\"Paris\"}"));
        JsonNode results = messages.path(2).path("content");
        assertThat(results).hasSize(2);
        assertThat(results.path(0)).isEqualTo(json("{\"type\":\"tool_result\",\"tool_use_id\":\"call_1\",\"content\":\"sunny\"}"));
        assertThat(results.path(1)).isEqualTo(json(
                "{\"type\":\"tool_result\",\"tool_use_id\":\"call_2\",\"content\":\"clock unavailable\",\"is_error\":true}"));
        assertThat(messages.path(3).path("content").asText()).isEqualTo("And tomorrow?");
        assertThat(sentBody().path("system").asText()).isEqualTo("Be brief.");
    }

    @Test
    void should_send_url_images_as_url_sources_and_data_urls_as_base64() {
        fake.always(Reply.text("two dots"));
        ChatMessage question = new ChatMessage.User(List.of(new Part.Text("Compare."),
                new Part.Image(new ImageSource.Url("https://example.com/a.png"), "high"),
                new Part.Image(new ImageSource.Url("data:image/png;base64," + PNG), null)), "ada");

        complete(ask(null, question));

        JsonNode content = sentBody().path("messages").path(0).path("content");
        assertThat(content.path(1)).isEqualTo(json("{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.png\"}}"));
        assertThat(content.path(2)).isEqualTo(json("{\"type\":\"image\",\"source\":"
                + "{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + PNG + "\"}}"));
        assertThat(sentBody().path("messages").path(0).has("name")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            // budget, effort, maxTokens, expected budget_tokens, expected max_tokens
            "2048, null, 1000, 2048, 3048",   // a limit below the budget is the answer's, on top of it
            "2048, null, 8000, 2048, 8000",   // room enough: the limit stays
            "null, medium, null, 8192, 12288", // an effort becomes a budget; the default answer room on top
            "500, null, null, 1024, 4096"})   // below Anthropic's minimum: raised to it
    void should_ask_for_thinking_with_a_budget_that_max_tokens_exceeds(Integer budget, String effort, Integer maxTokens,
                                                                        int expectedBudget, int expectedMax) {
        complete(ask(RequestOptions.builder().reasoning(new ReasoningOptions(effort, budget, null)).maxTokens(maxTokens).build(),
                ChatMessage.user("Think.")));

        assertThat(sentBody().path("thinking")).isEqualTo(json("{\"type\":\"enabled\",\"budget_tokens\":" + expectedBudget + "}"));
        assertThat(sentBody().path("max_tokens").asInt()).isEqualTo(expectedMax);
    }

    @Test
    void should_not_ask_for_thinking_when_reasoning_is_off_or_absent() {
        complete(ask(RequestOptions.builder().reasoning(new ReasoningOptions("none", null, null)).maxTokens(50).build(),
                ChatMessage.user("Quick.")));
        assertThat(sentBody().has("thinking")).isFalse();
        assertThat(sentBody().path("max_tokens").asInt()).isEqualTo(50);

        complete(ask(null, ChatMessage.user("Quick.")));
        assertThat(sentBody().has("thinking")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "auto     | true  | {\"type\":\"auto\"}",
            "required | true  | {\"type\":\"any\"}",
            "none     | true  | {\"type\":\"none\"}",
            "get_time | true  | {\"type\":\"tool\",\"name\":\"get_time\"}",
            "auto     | false | {\"type\":\"auto\",\"disable_parallel_tool_use\":true}",
            "required | false | {\"type\":\"any\",\"disable_parallel_tool_use\":true}",
            "get_time | false | {\"type\":\"tool\",\"name\":\"get_time\",\"disable_parallel_tool_use\":true}"})
    void should_send_each_tool_choice_with_parallel_calls_turned_off_when_asked(String choice, boolean parallel, String expected) {
        ToolChoice toolChoice = switch (choice) {
            case "auto" -> ToolChoice.AUTO;
            case "required" -> ToolChoice.REQUIRED;
            case "none" -> ToolChoice.NONE;
            default -> new ToolChoice.Named(choice);
        };

        complete(ask(tools(WEATHER, TIME).toBuilder().toolChoice(toolChoice).parallelToolCalls(parallel).build(), ChatMessage.user("?")));

        assertThat(sentBody().path("tool_choice")).isEqualTo(json(expected));
        assertThat(sentBody().path("tools").path(0)).isEqualTo(json("{\"name\":\"get_weather\",\"description\":\"The weather in a city\","
                + "\"input_schema\":" + WEATHER.parameters() + "}"));
    }

    @Test
    void should_turn_parallel_calls_off_without_a_tool_choice_and_send_no_choice_without_tools() {
        complete(ask(RequestOptions.builder().tools(List.of(WEATHER)).parallelToolCalls(false).build(), ChatMessage.user("?")));
        assertThat(sentBody().path("tool_choice")).isEqualTo(json("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));

        complete(ask(RequestOptions.builder().toolChoice(ToolChoice.REQUIRED).build(), ChatMessage.user("?")));
        assertThat(sentBody().has("tool_choice")).isFalse();
        assertThat(sentBody().has("tools")).isFalse();
    }

    @Test
    void should_ask_for_any_json_object_as_the_schema_of_an_object() {
        fake.always(Reply.text("{\"ok\":true}"));

        Completion completion = complete(ask(RequestOptions.builder().responseFormat(new ResponseFormat.JsonObject()).build(),
                ChatMessage.user("JSON please.")));

        assertThat(sentBody().path("output_config")).isEqualTo(json("{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}}"));
        assertThat(completion.text()).isEqualTo("{\"ok\":true}");
    }

    @ParameterizedTest
    @CsvSource({"logprobs, logprobs", "top_logprobs, top_logprobs", "n, n", "presence_penalty, presence_penalty",
            "frequency_penalty, frequency_penalty", "temperature, temperature", "blank stop, stop"})
    void should_refuse_what_changes_the_answer_and_anthropic_cannot_do(String option, String field) {
        UnaryOperator<RequestOptions.Builder> set = switch (option) {
            case "logprobs" -> b -> b.logprobs(true);
            case "top_logprobs" -> b -> b.topLogprobs(3);
            case "n" -> b -> b.n(2);
            case "presence_penalty" -> b -> b.presencePenalty(0.5);
            case "frequency_penalty" -> b -> b.frequencyPenalty(-0.2);
            case "temperature" -> b -> b.temperature(1.5);
            default -> b -> b.stop(List.of("END", "\n"));
        };

        assertThat(provider.unsupported(ask(set.apply(RequestOptions.builder()).build(), ChatMessage.user("?")))).contains(field);
    }

    @Test
    void should_drop_hints_without_an_equivalent_and_accept_neutral_values() {
        RequestOptions options = RequestOptions.builder().seed(42L).logprobs(false).n(1).presencePenalty(0.0).frequencyPenalty(0.0)
                .temperature(1.0).stop(List.of("END")).topK(40).build();
        ChatMessage named = new ChatMessage.User(List.of(new Part.Text("hi")), "ada");

        assertThat(provider.unsupported(ask(options, named))).isEqualTo(Optional.empty());
        complete(ask(options, named));
        assertThat(sentBody().has("seed")).isFalse();
        assertThat(sentBody().path("top_k").asInt()).isEqualTo(40);
        assertThat(sentBody().path("temperature").asDouble()).isEqualTo(1.0);
    }

    @Test
    void should_send_back_only_reasoning_that_anthropic_signed() {
        ChatMessage.Assistant earlier = new ChatMessage.Assistant(List.of(
                new Part.Reasoning("Gemini thought.", "Z2VtaW5p", null, Part.Reasoning.GEMINI),
                Part.Reasoning.text("DeepSeek thought.", Part.Reasoning.OPENAI),
                new Part.Reasoning(null, null, "gAAAAencrypted", Part.Reasoning.OPENAI_RESPONSES),
                Part.Reasoning.text("Unsigned Claude thought.", Part.Reasoning.ANTHROPIC),
                new Part.Text("It is sunny.")));
        ChatMessage.Assistant onlyForeign = new ChatMessage.Assistant(List.of(
                new Part.Reasoning("Gemini thought.", "Z2VtaW5p", null, Part.Reasoning.GEMINI)));

        complete(ask(null, ChatMessage.user("Weather?"), earlier, ChatMessage.user("Thanks."), onlyForeign, ChatMessage.user("Bye.")));

        assertThat(fake.conversationOf(fake.requests().getLast()))
                .containsExactly("user: Weather?", "assistant: It is sunny.", "user: Thanks.", "user: Bye.");
        assertThat(sentBody().path("messages").path(1).path("content").asText()).isEqualTo("It is sunny.");
    }

    @Test
    void should_keep_the_block_order_and_index_of_thinking_text_and_tool_use_in_a_stream() {
        fake.always(Reply.rich(FinishReason.TOOL_CALLS, null,
                new Part.Reasoning("Need weather.", "c2ln", null, Part.Reasoning.ANTHROPIC),
                new Part.Text("Checking."),
                new Part.Reasoning(null, null, "cmVkYWN0ZWQ=", Part.Reasoning.ANTHROPIC),
                new Part.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}", null)));
        ModelRequest request = ask(tools(WEATHER), ChatMessage.user("Weather?"));

        List<StreamEvent> events = streamed(request);

        assertThat(events).filteredOn(e -> !(e instanceof StreamEvent.Done)).extracting(AnthropicProviderIT::partOf)
                .isSorted().contains(0, 1, 2, 3);
        Completion streamedAnswer = assemble(events);
        Completion whole = complete(request);
        assertThat(streamedAnswer.content()).isEqualTo(whole.content());
        assertThat(whole.content()).containsExactly(
                new Part.Reasoning("Need weather.", "c2ln", null, Part.Reasoning.ANTHROPIC),
                new Part.Text("Checking."),
                new Part.Reasoning(null, null, "cmVkYWN0ZWQ=", Part.Reasoning.ANTHROPIC),
                new Part.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}", null));
    }

    private static int partOf(StreamEvent event) {
        return switch (event) {
            case StreamEvent.TextDelta d -> d.part();
            case StreamEvent.ReasoningDelta d -> d.part();
            case StreamEvent.ToolCallDelta d -> d.part();
            case StreamEvent.Done d -> -1;
        };
    }

    @Test
    void should_count_cache_reads_and_writes_in_the_prompt_of_a_plain_text_answer() {
        fake.always(Reply.rich(FinishReason.STOP, new TokenUsage(500, 20, 300, 150, 0, false), new Part.Text("ok")));

        Completion completion = complete(ask(null, ChatMessage.user("hi")));

        assertThat(completion.usage()).isEqualTo(new TokenUsage(500, 20, 300, 150, 0, false));
        assertThat(completion.usage().totalTokens()).isEqualTo(520);
    }
}
