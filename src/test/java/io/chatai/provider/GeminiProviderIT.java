package io.chatai.provider;

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
}
