package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A caller's mistake on {@code /v1} answers with the status the official SDK maps to the right exception
 * and does not retry (the SDK here keeps its default of two retries, as a user's would): 404
 * {@code model_not_found}, the upstream's own 400/413/422; 5xx only when the server side failed. The Chat
 * API keeps its own contract for the same failures.
 */
class GatewayErrorsIT {
    static FakeOpenAi upstream;
    static TestServer server;
    static OpenAIClient sdk;
    static Api api;

    @BeforeAll
    static void start() {
        upstream = new FakeOpenAi();
        server = TestServer.start();
        api = server.admin();
        // The SDK's defaults: two retries with backoff on 408, 409, 429 and 5xx, honouring Retry-After.
        sdk = OpenAIOkHttpClient.builder().apiKey(TestServer.ADMIN_KEY).baseUrl(server.baseUrl() + "/v1").build();
    }

    @AfterAll
    static void stop() {
        sdk.close();
        server.close();
        upstream.close();
    }

    int callsBefore;

    @BeforeEach
    void reset() {
        upstream.resetScript();
        server.deleteChannels();
        callsBefore = upstream.calls();
    }

    private int calls() {
        return upstream.calls() - callsBefore;
    }

    private static ChatCompletionCreateParams ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
    }

    @Test
    void should_answer_a_model_no_channel_lists_with_404_model_not_found_at_once() {
        server.addChannel(upstream, Map.of("models", List.of("gpt-4o-mini")));
        long started = System.nanoTime();

        assertThatThrownBy(() -> sdk.chat().completions().create(ask("gpt-4o-mni")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).contains("model_not_found");
                    assertThat(e.type()).contains("invalid_request_error");
                    assertThat(e.getMessage()).contains("gpt-4o-mni");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no retries, no Retry-After wait").isLessThan(Duration.ofSeconds(5));
        Api.Response raw = api.post("/v1/chat/completions", Map.of("model", "gpt-4o-mni", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(raw.status()).isEqualTo(404);
        assertThat(raw.header("Retry-After")).isNull();
        assertThat(raw.json().path("error").path("code").asText()).isEqualTo("model_not_found");
        assertThat(calls()).isZero();

        Api.Response chat = api.post("/api/chat", Map.of("message", "hi", "userId", "u", "model", "gpt-4o-mni"));
        assertThat(chat.status()).as("the Chat API keeps its contract").isEqualTo(503);
        assertThat(chat.json().path("code").asText()).isEqualTo("CHANNEL_UNAVAILABLE");
    }

    @Test
    void should_answer_404_when_every_channel_listing_the_model_answered_404_for_it() {
        server.addChannel(upstream, Map.of("name", "wild-1"));
        server.addChannel(upstream, Map.of("name", "wild-2"));
        upstream.always(Reply.status(404, "The model `gpt-9` does not exist or you do not have access to it."));
        long started = System.nanoTime();

        assertThatThrownBy(() -> sdk.chat().completions().create(ask("gpt-9")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).contains("model_not_found"));
        assertThat(calls()).as("each channel asked once, the SDK did not retry").isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        // Known missing now: answered without asking the upstreams again.
        assertThatThrownBy(() -> sdk.chat().completions().create(ask("gpt-9"))).isInstanceOf(NotFoundException.class);
        assertThat(calls()).isEqualTo(2);
    }

    @Test
    void should_pass_an_upstream_400_through_with_its_message_and_without_retries() {
        server.addChannel(upstream);
        upstream.always(Reply.status(400, "Invalid value for 'temperature': must be at most 2."));

        assertThatThrownBy(() -> sdk.chat().completions().create(ask("gpt-4o-mini")))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.type()).contains("invalid_request_error");
                    assertThat(e.getMessage()).contains("Invalid value for 'temperature': must be at most 2.");
                });
        assertThat(calls()).as("sent once: no failover, no SDK retry").isEqualTo(1);

        Api.Response chat = api.post("/api/chat", Map.of("message", "hi", "userId", "u"));
        assertThat(chat.status()).as("the Chat API keeps its contract").isEqualTo(502);
        assertThat(chat.json().path("code").asText()).isEqualTo("MODEL_ERROR");
        assertThat(chat.json().path("details").path("status").asInt()).isEqualTo(400);
        assertThat(chat.json().path("details").path("message").asText()).contains("temperature");
    }

    @Test
    void should_pass_an_upstream_422_and_413_through_with_their_own_status() {
        server.addChannel(upstream);
        upstream.always(Reply.status(422, "messages[0].content: field required"));
        assertThatThrownBy(() -> sdk.chat().completions().create(ask("gpt-4o-mini")))
                .isInstanceOfSatisfying(UnprocessableEntityException.class,
                        e -> assertThat(e.getMessage()).contains("messages[0].content: field required"));

        upstream.always(Reply.status(413, "Request too large for gpt-4o-mini"));
        assertThatThrownBy(() -> sdk.chat().completions().create(ask("gpt-4o-mini")))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("Request too large");
                });
        Api.Response streamed = api.post("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(streamed.status()).isEqualTo(413);
        assertThat(calls()).isEqualTo(3);
    }

    @Test
    void should_keep_503_for_channels_that_exist_but_failed() {
        server.addChannel(upstream, Map.of("models", List.of("gpt-4o-mini")));
        upstream.always(Reply.status(500, "upstream exploded"));
        OpenAIClient once = OpenAIOkHttpClient.builder().apiKey(TestServer.ADMIN_KEY).baseUrl(server.baseUrl() + "/v1")
                .maxRetries(0).build();
        try {
            assertThatThrownBy(() -> once.chat().completions().create(ask("gpt-4o-mini")))
                    .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
        } finally {
            once.close();
        }
    }
}
