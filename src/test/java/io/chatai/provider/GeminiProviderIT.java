package io.chatai.provider;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;

import io.chatai.core.Cancellation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.provider.gemini.GeminiProvider;
import io.chatai.testing.DatabaseFree;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider contract for Gemini generateContent, plus what only Gemini's wire format has. */
@DatabaseFree
class GeminiProviderIT extends RichMessageContract {

    @Override
    FakeUpstream newFake() {
        return new FakeGemini();
    }

    @Override
    String reasoningOrigin() {
        return Part.Reasoning.GEMINI;
    }

    @Override
    boolean toolCallIdsOnTheWire() {
        return false;
    }

    @Override
    Provider newProvider(UpstreamHttp http) {
        return new GeminiProvider(http);
    }

    @Test
    void should_use_the_model_role_generation_config_and_the_sse_endpoint() {
        provider.stream(upstream(Duration.ofSeconds(5)), request("gemini-x"), event -> { }, new Cancellation());

        FakeUpstream.Recorded sent = fake.requests().getLast();
        assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-x:streamGenerateContent");
        assertThat(sent.query()).isEqualTo("alt=sse");
        assertThat(sent.header("x-goog-api-key")).isEqualTo(KEY);
        assertThat(sent.body().path("contents").path(1).path("role").asText()).isEqualTo("model");
        JsonNode config = sent.body().path("generationConfig");
        assertThat(config.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(config.path("maxOutputTokens").asInt()).isEqualTo(100);
        assertThat(config.has("topP")).isFalse();
    }

    @Test
    void should_encode_the_model_as_one_path_segment() {
        provider.complete(upstream(Duration.ofSeconds(5)), request("tuned/odd name"), new Cancellation());

        FakeUpstream.Recorded sent = fake.requests().getLast();
        assertThat(sent.path()).endsWith(":generateContent");
        assertThat(sent.model()).isEqualTo("tuned/odd name");
    }

    @Test
    void should_take_a_400_for_an_invalid_key_as_a_refused_key() {
        fake.always(FakeGemini.invalidKey());

        assertThatThrownBy(() -> provider.complete(upstream(Duration.ofSeconds(5)), request("m"), new Cancellation()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.error()).isInstanceOf(UpstreamError.AuthFailed.class));
    }

    @Test
    void should_refuse_a_blocked_prompt_as_the_requests_fault() {
        fake.always(Reply.rawError(200, "{\"promptFeedback\": {\"blockReason\": \"SAFETY\"}, "
                + "\"usageMetadata\": {\"promptTokenCount\": 9, \"totalTokenCount\": 9}}"));

        assertThatThrownBy(() -> provider.complete(upstream(Duration.ofSeconds(5)), request("m"), new Cancellation()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.error()).isInstanceOf(UpstreamError.BadRequest.class);
                    assertThat(e.error().retryable()).isFalse();
                    assertThat(e.getMessage()).contains("SAFETY");
                });
    }

    @Test
    void should_refuse_an_image_url_by_its_field_before_calling_gemini() {
        ModelRequest request = ask(null, new ChatMessage.User(List.of(new Part.Text("What is this?"),
                new Part.Image(new ImageSource.Url("https://example.com/cat.png"), null)), null));
        int calls = fake.calls();

        assertThat(provider.unsupported(request)).contains("messages[1].content[1]");
        assertThatThrownBy(() -> complete(request)).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.getMessage()).contains("messages[1].content[1] is not supported by channel type gemini"));
        assertThat(fake.calls()).isEqualTo(calls);
    }

    @Test
    void should_answer_parallel_calls_by_name_in_their_order_with_text_and_json_results() {
        fake.always(Reply.rich(FinishReason.TOOL_CALLS, null,
                new Part.ToolCall("x", "get_weather", "{\"city\":\"Paris\"}", null),
                new Part.ToolCall("y", "get_time", "{\"city\":\"Paris\"}", null)));
        Completion calls = complete(ask(tools(WEATHER, TIME), ChatMessage.user("Weather and time?")));
        fake.always(Reply.text("Sunny, noon."));

        complete(ask(tools(WEATHER, TIME), ChatMessage.user("Weather and time?"), calls.message(),
                new ChatMessage.Tool(calls.toolCalls().get(0).id(), null, List.of(new Part.Text("sunny")), false),
                new ChatMessage.Tool(calls.toolCalls().get(1).id(), null, List.of(new Part.Text("{\"time\":\"12:00\"}")), false)));

        List<ChatMessage> received = lastReceived().messages();
        assertThat(received.subList(2, 4)).extracting(m -> ((ChatMessage.Tool) m).toolCallId()).containsExactly("get_weather", "get_time");
        JsonNode results = fake.requests().getLast().body().path("contents").path(2);
        assertThat(results.path("parts")).hasSize(2);
        assertThat(results.path("parts").path(0).path("functionResponse").path("response")).isEqualTo(json("{\"result\":\"sunny\"}"));
        assertThat(results.path("parts").path(1).path("functionResponse").path("response")).isEqualTo(json("{\"time\":\"12:00\"}"));
    }

    @Test
    void should_send_a_signature_that_came_on_a_streamed_text_part_back_on_that_text() {
        fake.always(Reply.rich(FinishReason.STOP, null, new Part.Text("Hello there"),
                new Part.Reasoning(null, "text-signature", null, Part.Reasoning.GEMINI)));
        Completion answer = assemble(streamed(ask(null, ChatMessage.user("hi"))));
        fake.always(Reply.text("ok"));

        complete(ask(null, ChatMessage.user("hi"), answer.message(), ChatMessage.user("again")));

        assertThat(fake.requests().getLast().body().path("contents").path(1).path("parts"))
                .isEqualTo(json("[{\"text\":\"Hello there\",\"thoughtSignature\":\"text-signature\"}]"));
    }

    @Test
    void should_not_send_reasoning_state_of_another_origin() {
        fake.always(Reply.text("ok"));
        ChatMessage.Assistant foreign = new ChatMessage.Assistant(List.of(
                new Part.Reasoning("Claude thought here", "anthropic-signature", null, Part.Reasoning.ANTHROPIC),
                new Part.Reasoning(null, null, "anthropic-redacted", Part.Reasoning.ANTHROPIC),
                new Part.Text("Hi!")));

        complete(ask(null, ChatMessage.user("hi"), foreign, ChatMessage.user("again")));

        String sent = fake.requests().getLast().body().toString();
        assertThat(sent).doesNotContain("anthropic-signature", "anthropic-redacted", "Claude thought here", "thoughtSignature");
        assertThat(lastReceived().messages().get(1).content()).containsExactly(new Part.Text("Hi!"));
    }
}
