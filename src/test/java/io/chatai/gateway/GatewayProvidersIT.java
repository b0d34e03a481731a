package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import io.chatai.testing.TinyGguf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenAI SDK against {@code /v1/chat/completions} with each provider type behind it: whatever
 * answers, the caller sees OpenAI's format, its usage chunk, {@code [DONE]} and its error shape.
 */
class GatewayProvidersIT {
    static final List<FakeUpstream> FAKES = List.of(new FakeOpenAi(), new FakeAnthropic(), new FakeGemini());
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);
    static OpenAIClient client;

    static List<FakeUpstream> fakes() {
        return FAKES;
    }

    @BeforeAll
    static void openClient() {
        client = OpenAIOkHttpClient.builder().apiKey(TestServer.ADMIN_KEY).baseUrl(server.baseUrl() + "/v1").maxRetries(0).build();
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    private static void use(FakeUpstream fake) {
        fake.resetScript();
        server.deleteChannels();
        server.addChannel(fake, Map.of("name", fake.type(), "models", List.of("*")));
    }

    private static ChatCompletionCreateParams.Builder params() {
        return ChatCompletionCreateParams.builder().model("some-model")
                .addSystemMessage("Answer in French.")
                .addUserMessage("Hello there");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_answer_in_openai_format_whichever_provider_serves(FakeUpstream fake) {
        use(fake);
        fake.always(Reply.text("Bon", "jour"));

        ChatCompletion completion = client.chat().completions().create(params().build());

        assertThat(completion.choices().getFirst().message().content()).contains("Bonjour");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().completionTokens()).isPositive();
        assertThat(completion.usage().orElseThrow().totalTokens())
                .isEqualTo(completion.usage().orElseThrow().promptTokens() + completion.usage().orElseThrow().completionTokens());
        // The caller's system message reached the provider where that provider expects it.
        assertThat(fake.systemPromptOf(fake.requests().getLast())).isEqualTo("Answer in French.");
        assertThat(fake.conversationOf(fake.requests().getLast())).containsExactly("user: Hello there");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_stream_openai_chunks_with_the_usage_chunk_and_done(FakeUpstream fake) {
        use(fake);
        fake.always(Reply.text("Un ", "deux ", "trois"));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                params().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo("Un deux trois");
        assertThat(chunks.getLast().usage().orElseThrow().completionTokens()).isPositive();

        Api.Stream raw = server.admin().stream("/v1/chat/completions", Map.of("model", "some-model", "stream", true,
                "stream_options", Map.of("include_usage", true), "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(raw.raw().strip()).endsWith("data: [DONE]");
        assertThat(raw.events().getLast().has("usage")).isTrue();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_surface_the_providers_400_as_an_openai_error(FakeUpstream fake) {
        use(fake);
        fake.always(Reply.status(400, "the request was refused by the provider"));

        assertThatThrownBy(() -> client.chat().completions().create(params().build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.type()).contains("invalid_request_error");
                    assertThat(e.getMessage()).contains("refused by the provider");
                });
    }

    @Test
    void should_answer_from_a_local_model_in_openai_format() throws Exception {
        Path model = TinyGguf.writeTemp();
        server.deleteChannels();
        server.admin().post("/api/channels", Map.of("name", "tiny", "type", "local", "modelPath", model.toString(),
                "models", List.of("tiny-local")));

        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("tiny-local").addUserMessage("Hello").maxCompletionTokens(8).build());
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("tiny-local").addUserMessage("Hello").maxCompletionTokens(8)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }

        assertThat(completion.usage().orElseThrow().completionTokens()).isBetween(1L, 8L);
        assertThat(chunks.stream().filter(c -> !c.choices().isEmpty() && c.choices().getFirst().delta().content().isPresent()))
                .hasSizeGreaterThan(1); // token by token
        assertThat(chunks.getLast().usage().orElseThrow().promptTokens()).isPositive();
    }
}
