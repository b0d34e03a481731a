package io.chatai.provider.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Cancellation;
import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.StreamEvent;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import io.chatai.testing.TinyGguf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local provider on the real llama.cpp engine and a tiny generated model: prompts, streaming, usage, and
 * the request options llama.cpp honours (stop sequences, seed, top_k, penalties, structured output).
 */
class LlamaProviderTest {
    static final Map<String, Object> OPTIONS = Map.of("threads", 1);
    static Path model;
    static LlamaModels models;
    static LlamaProvider provider;

    @BeforeAll
    static void load() {
        model = TinyGguf.writeTemp();
        models = new LlamaModels(() -> null);
        provider = new LlamaProvider(models);
    }

    @AfterAll
    static void close() {
        models.close();
    }

    static Upstream upstream(Map<String, Object> options, Duration timeout) {
        return new Upstream("local-test", null, null, Map.of(), timeout, null, model.toString(), options);
    }

    static ModelRequest request(Integer maxTokens, ChatMessage... messages) {
        return new ModelRequest("tiny", List.of(messages), 0.7, null, maxTokens);
    }

    /** Completes "Hello" with these options (temperature 1 unless they say otherwise). */
    static Completion complete(RequestOptions.Builder options) {
        RequestOptions built = options.build();
        if (built.temperature() == null) {
            built = built.toBuilder().temperature(1.0).build();
        }
        return provider.complete(upstream(OPTIONS, Duration.ofSeconds(30)),
                new ModelRequest("tiny", List.of(ChatMessage.user("Hello")), built), new Cancellation());
    }

    @Test
    void should_stream_one_delta_per_token_and_report_the_models_own_token_counts() {
        List<StreamEvent> events = new ArrayList<>();

        provider.stream(upstream(OPTIONS, Duration.ofSeconds(30)),
                request(12, ChatMessage.system("Be brief."), ChatMessage.user("Hello there")), events::add, new Cancellation());

        assertThat(events).hasSize(13);
        assertThat(events.subList(0, 12)).allSatisfy(event ->
                assertThat(((StreamEvent.TextDelta) event).text()).matches("[\\x20-\\x7E]"));
        StreamEvent.Done done = (StreamEvent.Done) events.getLast();
        // The prompt is the model's own template (from its metadata), tokenized by the model: BOS + one token per byte.
        int expectedPrompt = TinyGguf.promptTokens(TinyGguf.render(List.of(
                new String[] {"system", "Be brief."}, new String[] {"user", "Hello there"})));
        assertThat(done.usage().promptTokens()).isEqualTo(expectedPrompt);
        assertThat(done.usage().completionTokens()).isEqualTo(12);
        assertThat(done.usage().estimated()).isFalse();
        assertThat(done.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void should_complete_with_the_whole_answer_and_count_the_history_in_the_prompt() {
        Completion completion = provider.complete(upstream(OPTIONS, Duration.ofSeconds(30)), request(8,
                ChatMessage.user("first question"), ChatMessage.assistant("first answer"), ChatMessage.user("second")),
                new Cancellation());

        assertThat(completion.text()).hasSize(8);
        assertThat(completion.usage().promptTokens()).isEqualTo(TinyGguf.promptTokens(TinyGguf.render(List.of(
                new String[] {"user", "first question"}, new String[] {"assistant", "first answer"},
                new String[] {"user", "second"}))));
        assertThat(completion.usage().completionTokens()).isEqualTo(8);
    }

    @Test
    void should_stop_at_the_end_of_the_context_when_no_max_tokens_is_given() {
        Completion completion = provider.complete(upstream(Map.of("threads", 1, "contextSize", 96), Duration.ofSeconds(30)),
                request(null, ChatMessage.user("hi")), new Cancellation());

        assertThat(completion.usage().totalTokens()).isEqualTo(96);
        assertThat(completion.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void should_drop_the_oldest_whole_turns_when_the_history_does_not_fit_the_context() {
        String[] system = {"system", "Be brief."};
        String[] old1 = {"user", "a".repeat(40)};
        String[] old2 = {"assistant", "b".repeat(40)};
        String[] recent1 = {"user", "c".repeat(10)};
        String[] recent2 = {"assistant", "d".repeat(10)};
        String[] question = {"user", "new"};
        int fits = TinyGguf.promptTokens(TinyGguf.render(List.of(system, recent1, recent2, question)));
        int whole = TinyGguf.promptTokens(TinyGguf.render(List.of(system, old1, old2, recent1, recent2, question)));
        assertThat(fits).isLessThanOrEqualTo(128 - 8);
        assertThat(whole).isGreaterThan(128 - 8);

        Completion completion = provider.complete(upstream(Map.of("threads", 1, "contextSize", 128), Duration.ofSeconds(30)),
                request(8, ChatMessage.system(system[1]), ChatMessage.user(old1[1]), ChatMessage.assistant(old2[1]),
                        ChatMessage.user(recent1[1]), ChatMessage.assistant(recent2[1]), ChatMessage.user(question[1])),
                new Cancellation());

        assertThat(completion.usage().promptTokens()).isEqualTo(fits);
        assertThat(completion.usage().completionTokens()).isEqualTo(8);
    }

    @Test
    void should_refuse_a_prompt_longer_than_the_context_as_a_bad_request() {
        assertThatThrownBy(() -> provider.complete(upstream(Map.of("threads", 1, "contextSize", 64), Duration.ofSeconds(30)),
                request(8, ChatMessage.user("x".repeat(200))), new Cancellation()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.error()).isInstanceOf(UpstreamError.BadRequest.class);
                    assertThat(e.getMessage()).contains("more than the local model's context of 64");
                });
    }

    @Test
    void should_report_a_missing_model_file_as_an_unreachable_upstream() {
        Upstream missing = new Upstream("local-test", null, null, Map.of(), Duration.ofSeconds(5), null,
                model.resolveSibling("absent.gguf").toString(), OPTIONS);

        assertThatThrownBy(() -> provider.complete(missing, request(4, ChatMessage.user("hi")), new Cancellation()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.error()).isInstanceOf(UpstreamError.Unreachable.class);
                    assertThat(e.getMessage()).contains("absent.gguf");
                });
    }

    @Test
    void should_end_the_answer_before_the_first_stop_sequence_and_finish_with_stop() {
        RequestOptions.Builder seeded = RequestOptions.builder().seed(11L).maxTokens(60);
        String free = complete(seeded).text();
        // A stop sequence the seeded answer first writes after its tenth character.
        int at = IntStream.range(10, free.length() - 2).filter(i -> free.indexOf(free.substring(i, i + 2)) == i).findFirst().orElseThrow();
        String stop = free.substring(at, at + 2);
        List<StreamEvent> events = new ArrayList<>();

        provider.stream(upstream(OPTIONS, Duration.ofSeconds(30)), new ModelRequest("tiny", List.of(ChatMessage.user("Hello")),
                seeded.stop(List.of("\n\n", stop)).temperature(1.0).build()), events::add, new Cancellation());

        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e instanceof StreamEvent.TextDelta).forEach(e -> text.append(((StreamEvent.TextDelta) e).text()));
        assertThat(text.toString()).isEqualTo(free.substring(0, at));
        StreamEvent.Done done = (StreamEvent.Done) events.getLast();
        assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done.usage().completionTokens()).isEqualTo(at + stop.length()); // the stop sequence was generated, not sent
    }

    @Test
    void should_sample_the_same_answer_for_the_same_seed_and_another_for_another_seed() {
        String first = complete(RequestOptions.builder().seed(42L).maxTokens(24)).text();

        assertThat(complete(RequestOptions.builder().seed(42L).maxTokens(24)).text()).isEqualTo(first);
        assertThat(complete(RequestOptions.builder().seed(43L).maxTokens(24)).text()).isNotEqualTo(first);
        // 0xFFFFFFFF is llama.cpp's "random seed": it must still repeat.
        assertThat(complete(RequestOptions.builder().seed(0xFFFF_FFFFL).maxTokens(24)).text())
                .isEqualTo(complete(RequestOptions.builder().seed(0xFFFF_FFFFL).maxTokens(24)).text());
    }

    @Test
    void should_take_only_the_most_likely_token_with_top_k_of_one_whatever_the_seed() {
        String greedy = complete(RequestOptions.builder().topK(1).seed(1L).maxTokens(24)).text();

        assertThat(complete(RequestOptions.builder().topK(1).seed(2L).maxTokens(24)).text()).isEqualTo(greedy);
        assertThat(complete(RequestOptions.builder().seed(1L).maxTokens(24)).text()).isNotEqualTo(greedy);
    }

    @Test
    void should_steer_away_from_tokens_already_written_with_presence_and_frequency_penalties() {
        String greedy = complete(RequestOptions.builder().topK(1).maxTokens(40)).text();
        String present = complete(RequestOptions.builder().topK(1).presencePenalty(2.0).maxTokens(40)).text();
        String frequent = complete(RequestOptions.builder().topK(1).frequencyPenalty(2.0).maxTokens(40)).text();

        assertThat(distinct(present)).as(present + " against " + greedy).isGreaterThan(distinct(greedy));
        assertThat(distinct(frequent)).as(frequent + " against " + greedy).isGreaterThan(distinct(greedy));
    }

    @Test
    void should_write_json_valid_against_the_schema_even_from_a_random_model() throws Exception {
        JsonNode schema = Json.tree("""
                {"type":"object",
                 "properties":{
                   "name":{"type":"string","maxLength":8},
                   "count":{"type":"integer"},
                   "ok":{"type":"boolean"},
                   "score":{"type":"number"},
                   "color":{"enum":["red","say \\"hi\\"","back\\\\slash","naïve"]},
                   "tags":{"type":"array","items":{"$ref":"#/$defs/tag"},"minItems":1,"maxItems":3},
                   "note":{"anyOf":[{"type":"string","maxLength":4},{"type":"null"}]},
                   "day":{"type":"string","format":"date"},
                   "meta":{"type":"object","properties":{"a":{"type":"boolean"},"b":{"type":"null"},"c":{"const":[1,"x"]}}},
                   "counts":{"type":"object","additionalProperties":{"type":"integer"}}},
                 "required":["name","count","ok","color","tags"],
                 "additionalProperties":false,
                 "$defs":{"tag":{"type":"object","properties":{"k":{"const":"x"}},"required":["k"]}}}""");
        Set<String> declared = Set.of("name", "count", "ok", "score", "color", "tags", "note", "day", "meta", "counts");

        for (long seed = 1; seed <= 4; seed++) {
            Completion completion = complete(RequestOptions.builder().seed(seed).maxTokens(400)
                    .responseFormat(new ResponseFormat.JsonSchema("thing", null, schema, true)));

            assertThat(completion.finishReason()).as(completion.text()).isEqualTo(FinishReason.STOP);
            JsonNode answer = Json.tree(completion.text());
            assertThat(answer.isObject()).isTrue();
            assertThat(declared).containsAll(() -> answer.fieldNames());
            assertThat(answer.path("name").isTextual() && answer.path("name").textValue().length() <= 8).as(completion.text()).isTrue();
            assertThat(answer.path("count").isIntegralNumber()).as(completion.text()).isTrue();
            assertThat(answer.path("ok").isBoolean()).as(completion.text()).isTrue();
            assertThat(answer.path("color").textValue()).isIn("red", "say \"hi\"", "back\\slash", "naïve");
            assertThat(answer.path("tags").size()).isBetween(1, 3);
            answer.path("tags").forEach(tag -> assertThat(tag.toString()).isEqualTo("{\"k\":\"x\"}"));
            if (answer.has("score")) {
                assertThat(answer.get("score").isNumber()).as(completion.text()).isTrue();
            }
            if (answer.has("note")) {
                assertThat(answer.get("note").isNull() || answer.get("note").textValue().length() <= 4).as(completion.text()).isTrue();
            }
            if (answer.has("day")) {
                assertThat(answer.get("day").textValue()).matches("\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])");
            }
            if (answer.has("meta")) {
                assertThat(Set.of("a", "b", "c")).containsAll(() -> answer.get("meta").fieldNames());
                if (answer.get("meta").has("c")) {
                    assertThat(answer.get("meta").get("c").toString()).isEqualTo("[1,\"x\"]");
                }
            }
            answer.path("counts").forEach(count -> assertThat(count.isIntegralNumber()).isTrue());
        }
    }

    @Test
    void should_write_recursive_structures_through_references() throws Exception {
        JsonNode schema = Json.tree("""
                {"$ref":"#/$defs/node",
                 "$defs":{"node":{"type":"object",
                   "properties":{"v":{"type":"integer"},"next":{"anyOf":[{"type":"null"},{"$ref":"#/$defs/node"}]}},
                   "required":["v","next"],"additionalProperties":false}}}""");
        int nested = 0;

        for (long seed = 1; seed <= 4; seed++) {
            Completion completion = complete(RequestOptions.builder().seed(seed).maxTokens(400)
                    .responseFormat(new ResponseFormat.JsonSchema("list", null, schema, true)));

            assertThat(completion.finishReason()).as(completion.text()).isEqualTo(FinishReason.STOP);
            JsonNode node = Json.tree(completion.text());
            for (int depth = 0; !node.isNull(); depth++, node = node.path("next")) {
                assertThat(node.size()).as(completion.text()).isEqualTo(2);
                assertThat(node.path("v").isIntegralNumber()).as(completion.text()).isTrue();
                nested = Math.max(nested, depth);
            }
        }
        assertThat(nested).as("some answer nests a node in a node").isPositive();
    }

    @Test
    void should_answer_a_json_object_when_asked_for_one() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            Completion completion = complete(RequestOptions.builder().seed(seed).maxTokens(200).responseFormat(new ResponseFormat.JsonObject()));

            assertThat(Json.tree(completion.text()).isObject()).as(completion.text()).isTrue();
            assertThat(completion.finishReason()).isEqualTo(FinishReason.STOP);
        }
    }

    @Test
    void should_refuse_what_the_model_cannot_do_before_loading_it() {
        ChatMessage withImage = new ChatMessage.User(List.of(new Part.Text("what is it?"),
                new Part.Image(new ImageSource.Url("https://example.com/cat.png"), null)), null);
        Upstream absent = new Upstream("local-test", null, null, Map.of(), Duration.ofSeconds(5), null,
                model.resolveSibling("not-loaded.gguf").toString(), OPTIONS);

        assertThatThrownBy(() -> provider.complete(absent, new ModelRequest("tiny", List.of(withImage), RequestOptions.NONE),
                new Cancellation()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.error()).isInstanceOf(UpstreamError.BadRequest.class);
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("messages[0].content[1] is not supported by channel type local");
                });
    }

    @Test
    void should_join_consecutive_turns_of_one_role_so_templates_that_demand_alternation_render() {
        Completion completion = provider.complete(upstream(OPTIONS, Duration.ofSeconds(30)), request(4,
                ChatMessage.user("first"), ChatMessage.user("second"), ChatMessage.assistant("one"), ChatMessage.assistant("two"),
                ChatMessage.user("third")), new Cancellation());

        assertThat(completion.usage().promptTokens()).isEqualTo(TinyGguf.promptTokens(TinyGguf.render(List.of(
                new String[] {"user", "first\n\nsecond"}, new String[] {"assistant", "one\n\ntwo"}, new String[] {"user", "third"}))));
    }

    private static long distinct(String text) {
        return text.chars().distinct().count();
    }
}
