package io.chatai.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.CompletionBuilder;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What compatible servers send differently from OpenAI, read from hand-written wire JSON. */
class OpenAiWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<StreamEvent> events = new ArrayList<>();
    private final OpenAiDeltas deltas = new OpenAiDeltas(events::add);

    @Test
    void should_number_parts_in_order_of_first_appearance_and_keep_each_calls_fragments_on_its_part() {
        deltas.accept(json("{\"role\":\"assistant\",\"reasoning_content\":\"Hmm\"}"));
        deltas.accept(json("{\"content\":\"Checking.\"}"));
        deltas.accept(json("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}"));
        deltas.accept(json("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]}"));
        deltas.accept(json("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}"));
        deltas.accept(json("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]}"));

        assertThat(events).containsExactly(
                new StreamEvent.ReasoningDelta(0, "Hmm", null, null, Part.Reasoning.OPENAI),
                new StreamEvent.TextDelta(1, "Checking."),
                new StreamEvent.ToolCallDelta(2, "call_a", "get_weather", null, null),
                new StreamEvent.ToolCallDelta(3, "call_b", "get_time", "{}", null),
                new StreamEvent.ToolCallDelta(2, null, null, "{\"city\":", null),
                new StreamEvent.ToolCallDelta(2, null, null, "\"Oslo\"}", null));
        Completion completion = assemble();
        assertThat(completion.toolCalls()).containsExactly(new Part.ToolCall("call_a", "get_weather", "{\"city\":\"Oslo\"}", null),
                new Part.ToolCall("call_b", "get_time", "{}", null));
    }

    @Test
    void should_take_a_new_id_with_a_name_at_a_used_index_as_a_new_call_as_ollama_numbers_a_parallel_batch() {
        deltas.accept(json("{\"tool_calls\":[{\"id\":\"call_1\",\"index\":0,\"type\":\"function\",\"function\":{\"name\":\"run\",\"arguments\":\"{\\\"c\\\":\\\"ls\\\"}\"}}]}"));
        deltas.accept(json("{\"tool_calls\":[{\"id\":\"call_2\",\"index\":0,\"type\":\"function\",\"function\":{\"name\":\"run\",\"arguments\":\"{\\\"c\\\":\\\"pwd\\\"}\"}}]}"));

        assertThat(assemble().toolCalls()).extracting(Part.ToolCall::id, Part.ToolCall::arguments)
                .containsExactly(tuple("call_1", "{\"c\":\"ls\"}"),
                        tuple("call_2", "{\"c\":\"pwd\"}"));
    }

    @Test
    void should_continue_a_call_whose_fragments_repeat_a_fresh_id_without_a_name() {
        deltas.accept(json("{\"tool_calls\":[{\"id\":\"a1\",\"index\":0,\"function\":{\"name\":\"run\",\"arguments\":\"{\\\"c\\\":\"}}]}"));
        deltas.accept(json("{\"tool_calls\":[{\"id\":\"a2\",\"index\":0,\"function\":{\"arguments\":\"1}\"}}]}"));

        assertThat(assemble().toolCalls()).containsExactly(new Part.ToolCall("a1", "run", "{\"c\":1}", null));
    }

    @Test
    void should_number_calls_by_position_without_an_index_and_give_a_call_without_id_one_on_its_first_delta() {
        deltas.accept(json("{\"tool_calls\":[{\"function\":{\"name\":\"a\",\"arguments\":\"{}\"}},{\"function\":{\"name\":\"b\",\"arguments\":{\"x\":1}}}]}"));

        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(((StreamEvent.ToolCallDelta) e).id()).startsWith("call_"));
        assertThat(assemble().toolCalls()).extracting(Part.ToolCall::name, Part.ToolCall::arguments)
                .containsExactly(tuple("a", "{}"), tuple("b", "{\"x\":1}"));
    }

    @Test
    void should_read_a_refusal_as_the_answer_text_json_and_streamed() {
        deltas.accept(json("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help with that.\"}"));
        assertThat(events).containsExactly(new StreamEvent.TextDelta(0, "I can't help with that."));

        Completion completion = OpenAiAnswers.completion(json("""
                {"index":0,"message":{"role":"assistant","content":null,"refusal":"No."},"finish_reason":"stop"}"""), null);
        assertThat(completion.text()).isEqualTo("No.");
    }

    @Test
    void should_read_content_given_as_parts_and_tool_calls_without_ids() {
        Completion completion = OpenAiAnswers.completion(json("""
                {"index":0,"message":{"role":"assistant","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}],
                 "tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}"""), null);

        assertThat(completion.text()).isEqualTo("ab");
        assertThat(completion.toolCalls().getFirst().id()).startsWith("call_");
        assertThat(completion.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void should_read_cached_tokens_from_openai_details_or_deepseeks_cache_hits_and_reasoning_tokens() {
        assertThat(OpenAiAnswers.usage(json("""
                {"usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150,
                 "prompt_tokens_details":{"cached_tokens":80},"completion_tokens_details":{"reasoning_tokens":30}}}""")))
                .isEqualTo(new TokenUsage(100, 50, 80, 0, 30, false));
        assertThat(OpenAiAnswers.usage(json("""
                {"usage":{"prompt_tokens":100,"completion_tokens":50,"prompt_cache_hit_tokens":64,"prompt_cache_miss_tokens":36}}""")))
                .isEqualTo(new TokenUsage(100, 50, 64, 0, 0, false));
    }

    @Test
    void should_pass_an_effort_as_given_and_read_one_off_an_explicit_budget() {
        assertThat(OpenAiRequests.effort(new ReasoningOptions("xhigh", 500, null))).isEqualTo("xhigh");
        assertThat(OpenAiRequests.effort(new ReasoningOptions(null, 0, null))).isEqualTo("none");
        assertThat(OpenAiRequests.effort(new ReasoningOptions(null, 1_024, null))).isEqualTo("low");
        assertThat(OpenAiRequests.effort(new ReasoningOptions(null, 8_192, null))).isEqualTo("medium");
        assertThat(OpenAiRequests.effort(new ReasoningOptions(null, 32_000, null))).isEqualTo("high");
        assertThat(OpenAiRequests.effort(new ReasoningOptions(null, null, true))).isNull();
    }

    @Test
    void should_spell_the_output_limit_max_completion_tokens_only_for_openais_own_api() {
        assertThat(OpenAiRequests.takesMaxCompletionTokens("https://api.openai.com/v1")).isTrue();
        assertThat(OpenAiRequests.takesMaxCompletionTokens("https://API.OpenAI.com/v1/")).isTrue();
        assertThat(OpenAiRequests.takesMaxCompletionTokens("https://api.deepseek.com")).isFalse();
        assertThat(OpenAiRequests.takesMaxCompletionTokens("http://127.0.0.1:11434/v1")).isFalse();
        assertThat(OpenAiRequests.takesMaxCompletionTokens("not a url")).isFalse();

        ModelRequest request = new ModelRequest("gpt-5", List.of(ChatMessage.user("hi")), null, null, 77);
        JsonNode openAi = Json.MAPPER.valueToTree(OpenAiRequests.request(request, false, true));
        JsonNode compatible = Json.MAPPER.valueToTree(OpenAiRequests.request(request, false, false));
        assertThat(openAi.path("max_completion_tokens").asInt()).isEqualTo(77);
        assertThat(openAi.has("max_tokens")).isFalse();
        assertThat(compatible.path("max_tokens").asInt()).isEqualTo(77);
        assertThat(compatible.has("max_completion_tokens")).isFalse();
    }

    private Completion assemble() {
        CompletionBuilder builder = new CompletionBuilder();
        events.forEach(builder::accept);
        return builder.build(FinishReason.STOP, null);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
