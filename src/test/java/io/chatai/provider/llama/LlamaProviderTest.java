package io.chatai.provider.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local provider on the real llama.cpp engine and a tiny generated model: prompts, streaming and usage. */
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

    @Test
    void should_stream_one_delta_per_token_and_report_the_models_own_token_counts() {
        List<StreamEvent> events = new ArrayList<>();

        provider.stream(upstream(OPTIONS, Duration.ofSeconds(30)),
                request(12, ChatMessage.system("Be brief."), ChatMessage.user("Hello there")), events::add, new Cancellation());

        assertThat(events).hasSize(13);
        assertThat(events.subList(0, 12)).allSatisfy(event ->
                assertThat(((StreamEvent.Delta) event).text()).matches("[\\x20-\\x7E]"));
        StreamEvent.Done done = (StreamEvent.Done) events.getLast();
        // The prompt is the model's own template (from its metadata), tokenized by the model: BOS + one token per byte.
        int expectedPrompt = TinyGguf.promptTokens(TinyGguf.render(List.of(
                new String[] {"system", "Be brief."}, new String[] {"user", "Hello there"})));
        assertThat(done.usage().promptTokens()).isEqualTo(expectedPrompt);
        assertThat(done.usage().completionTokens()).isEqualTo(12);
        assertThat(done.usage().estimated()).isFalse();
        assertThat(done.finishReason()).isEqualTo("length");
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
        assertThat(completion.finishReason()).isEqualTo("length");
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
}
