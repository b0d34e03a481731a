package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /v1/chat/completions} and {@code /v1/models} driven by the official OpenAI Java SDK. */
class GatewayIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(upstream);
    static OpenAIClient client;

    @BeforeAll
    static void openClient() {
        client = OpenAIOkHttpClient.builder().apiKey(TestServer.ADMIN_KEY).baseUrl(server.baseUrl() + "/v1").maxRetries(0).build();
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @BeforeEach
    void reset() {
        upstream.script(FakeOpenAi::echo);
        server.resetChannels(upstream);
    }

    private static ChatCompletionCreateParams.Builder params() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                .addSystemMessage("You are a test.")
                .addUserMessage("Hello there");
    }

    @Test
    void should_answer_a_plain_completion_and_pass_messages_through_untouched() {
        ChatCompletion completion = client.chat().completions().create(params().temperature(0.3).maxCompletionTokens(50).build());

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).contains("echo(2): Hello there");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.model()).isEqualTo("gpt-4o-mini");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(11);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(2);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(13);

        JsonNode sent = upstream.requests().getLast().body();
        assertThat(sent.path("messages")).hasSize(2); // no preset, no history: exactly the caller's messages
        assertThat(sent.path("messages").path(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").path(0).path("content").asText()).isEqualTo("You are a test.");
        assertThat(sent.path("messages").path(1).path("content").asText()).isEqualTo("Hello there");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(sent.path("max_completion_tokens").asInt()).as("the caller's own field, passed through").isEqualTo(50);
        assertThat(sent.has("max_tokens")).isFalse();
    }

    @Test
    void should_stream_chunks_with_the_usage_chunk_when_asked() {
        upstream.always(Reply.text("Hel", "lo ", "world"));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                params().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }

        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo("Hello world");
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(11);
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(3);
        assertThat(chunks.stream().filter(c -> !c.choices().isEmpty()).flatMap(c -> c.choices().stream())
                .filter(choice -> choice.finishReason().isPresent())).hasSize(1);
    }

    @Test
    void should_end_a_raw_stream_with_done_and_send_usage_only_when_asked() {
        upstream.always(Reply.text("a", "b"));
        Api.Stream withUsage = server.admin().stream("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "stream", true,
                "stream_options", Map.of("include_usage", true), "messages", List.of(Map.of("role", "user", "content", "hi"))));
        Api.Stream without = server.admin().stream("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));

        assertThat(withUsage.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        assertThat(withUsage.raw().strip()).endsWith("data: [DONE]");
        assertThat(without.raw().strip()).endsWith("data: [DONE]");
        assertThat(withUsage.raw()).contains("\"usage\":{\"prompt_tokens\":11");
        assertThat(without.raw()).doesNotContain("\"usage\"");
        assertThat(withUsage.events().getFirst().path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(withUsage.events()).allSatisfy(event -> assertThat(event.path("model").asText()).isEqualTo("gpt-4o-mini"));
    }

    @Test
    void should_surface_an_upstream_400_as_an_openai_error() {
        upstream.always(Reply.status(400, "Invalid value for 'temperature'"));

        assertThatThrownBy(() -> client.chat().completions().create(params().build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.type()).contains("invalid_request_error");
                    assertThat(e.getMessage()).contains("Invalid value for 'temperature'");
                });
        Api.Response raw = server.admin().post("/v1/chat/completions", Map.of("model", "gpt-4o-mini",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(raw.json().path("error").path("message").asText()).contains("temperature");
        assertThat(raw.json().has("success")).isFalse();
    }

    @Test
    void should_refuse_a_bad_request_and_a_bad_key_in_openai_shape() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage("hi").temperature(5.0).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("temperature"));
        OpenAIClient stranger = OpenAIOkHttpClient.builder().apiKey("sk-nope").baseUrl(server.baseUrl() + "/v1").maxRetries(0).build();
        try {
            assertThatThrownBy(() -> stranger.chat().completions().create(params().build())).isInstanceOf(UnauthorizedException.class);
        } finally {
            stranger.close();
        }
        Api.Response noMessages = server.admin().post("/v1/chat/completions", Map.of("model", "gpt-4o-mini"));
        assertThat(noMessages.status()).isEqualTo(400);
        assertThat(noMessages.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void should_apply_the_key_rate_limit_with_an_openai_429() {
        try (TestServer limited = TestServer.start(Map.of("CHATAI_RATE_LIMIT_PER_MINUTE", "1"))) {
            limited.addChannel(upstream);
            OpenAIClient sdk = OpenAIOkHttpClient.builder().apiKey(TestServer.ADMIN_KEY).baseUrl(limited.baseUrl() + "/v1").maxRetries(0).build();
            try {
                sdk.chat().completions().create(params().build());
                assertThatThrownBy(() -> sdk.chat().completions().create(params().build()))
                        .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.headers().values("Retry-After")).isNotEmpty());
            } finally {
                sdk.close();
            }
        }
    }

    @Test
    void should_list_the_models_the_caller_can_reach() {
        server.admin().post("/api/channels", Map.of("name", "listed", "type", "openai", "baseUrl", upstream.baseUrl(),
                "models", List.of("model-a", "model-b"), "modelMapping", Map.of("alias-c", "model-a")));
        server.admin().post("/api/channels", Map.of("name", "off", "type", "openai", "baseUrl", upstream.baseUrl(),
                "models", List.of("hidden-model"), "enabled", false));

        List<String> ids = new ArrayList<>();
        client.models().list().autoPager().forEach(model -> ids.add(model.id()));

        assertThat(ids).contains("model-a", "model-b", "alias-c", "gpt-4o-mini").doesNotContain("hidden-model", "*");
    }

    @Test
    void should_answer_one_model_by_id_and_404_model_not_found_for_a_model_no_channel_serves() {
        server.deleteChannels();
        server.admin().post("/api/channels", Map.of("name", "listed", "type", "openai", "baseUrl", upstream.baseUrl(),
                "models", List.of("model-a", "org/model-b")));

        assertThat(client.models().retrieve("model-a").id()).isEqualTo("model-a");
        Api.Response slashed = server.admin().get("/v1/models/org/model-b");
        assertThat(slashed.status()).isEqualTo(200);
        assertThat(slashed.json().path("id").asText()).isEqualTo("org/model-b");
        assertThat(slashed.json().path("object").asText()).isEqualTo("model");
        assertThat(server.admin().get("/v1/models/org%2Fmodel-b").json().path("id").asText()).isEqualTo("org/model-b");
        assertThatThrownBy(() -> client.models().retrieve("model-z"))
                .isInstanceOfSatisfying(com.openai.errors.NotFoundException.class, e -> assertThat(e.code()).contains("model_not_found"));
        Api.Response missing = server.admin().get("/v1/models/hidden-model");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").path("code").asText()).isEqualTo("model_not_found");
        assertThat(missing.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    }
}
