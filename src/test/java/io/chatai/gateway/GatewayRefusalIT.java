package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A field a channel cannot honour and that changes the answer: channels that cannot honour it are skipped, and
 * when none can, the caller gets 400 naming the field and the channel type, before any upstream call.
 */
class GatewayRefusalIT {
    static final FakeOpenAi openai = new FakeOpenAi();
    static final FakeAnthropic anthropic = new FakeAnthropic();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(List.of(openai, anthropic));
    static OpenAIClient sdk;

    @BeforeAll
    static void openClient() {
        sdk = OpenAIOkHttpClient.builder().apiKey(TestServer.ADMIN_KEY).baseUrl(server.baseUrl() + "/v1").build();
    }

    @AfterAll
    static void closeClient() {
        sdk.close();
    }

    @BeforeEach
    void reset() {
        server.deleteChannels();
        openai.resetScript();
        anthropic.resetScript();
    }

    private static Map<String, Object> ask(Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("model", "claude-x",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        body.putAll(extra);
        return body;
    }

    @Test
    void should_refuse_what_no_channel_can_honour_with_400_naming_the_field_before_any_call() {
        server.addChannel(anthropic, Map.of("name", "claude"));
        int before = anthropic.calls();

        Api.Response logprobs = server.admin().post("/v1/chat/completions", ask(Map.of("logprobs", true)));
        Api.Response choices = server.admin().post("/v1/chat/completions", ask(Map.of("n", 3, "stream", true)));
        Api.Response audio = server.admin().post("/v1/chat/completions", Map.of("model", "claude-x", "messages", List.of(
                Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "listen"),
                        Map.of("type", "input_audio", "input_audio", Map.of("data", "AAAA", "format", "wav")))))));

        assertThat(logprobs.status()).isEqualTo(400);
        assertThat(logprobs.json().path("error").path("message").asText()).isEqualTo("logprobs is not supported by channel type anthropic");
        assertThat(logprobs.json().path("error").path("param").asText()).isEqualTo("logprobs");
        assertThat(logprobs.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(logprobs.json().path("error").path("code").asText()).isEqualTo("unsupported_parameter");
        assertThat(choices.status()).isEqualTo(400);
        assertThat(choices.json().path("error").path("param").asText()).isEqualTo("n");
        assertThat(audio.status()).isEqualTo(400);
        assertThat(audio.json().path("error").path("param").asText()).isEqualTo("messages[0].content[1]");
        assertThat(anthropic.calls()).as("no upstream call").isEqualTo(before);
        assertThatThrownBy(() -> sdk.chat().completions().create(ChatCompletionCreateParams.builder().model("claude-x")
                .addUserMessage("hi").logprobs(true).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("logprobs"));
    }

    @Test
    void should_skip_a_channel_that_cannot_honour_the_request_for_one_that_can() {
        server.addChannel(anthropic, Map.of("name", "claude", "priority", 10));
        server.addChannel(openai, Map.of("name", "gpt", "priority", 0));
        int before = anthropic.calls();

        ChatCompletion completion = sdk.chat().completions().create(ChatCompletionCreateParams.builder().model("claude-x")
                .addUserMessage("hi").logprobs(true).n(2).build());
        Api.Response plain = server.admin().post("/v1/chat/completions", ask(Map.of()));

        assertThat(completion.choices()).isNotEmpty();
        assertThat(openai.requests().getLast().body().path("n").asInt()).isEqualTo(2);
        assertThat(openai.requests().getLast().body().path("logprobs").asBoolean()).isTrue();
        assertThat(plain.status()).isEqualTo(200);
        assertThat(anthropic.calls()).as("only the request it can honour").isEqualTo(before + 1);
    }
}
