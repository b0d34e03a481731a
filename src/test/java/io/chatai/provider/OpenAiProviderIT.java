package io.chatai.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.provider.openai.OpenAiProvider;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider contract for OpenAI chat completions, plus what only OpenAI's wire format has. */
class OpenAiProviderIT extends ProviderContract {

    @Override
    FakeUpstream newFake() {
        return new FakeOpenAi();
    }

    @Override
    Provider newProvider(UpstreamHttp http) {
        return new OpenAiProvider(http);
    }

    @Override
    String systemPromptSent(FakeUpstream.Recorded request) {
        JsonNode first = request.messages().getFirst();
        return first.path("role").asText().equals("system") ? first.path("content").asText() : null;
    }

    @Override
    List<String> conversationSent(FakeUpstream.Recorded request) {
        return request.messages().stream().filter(m -> !m.path("role").asText().equals("system"))
                .map(m -> m.path("role").asText() + ": " + m.path("content").asText()).toList();
    }

    @Test
    void should_send_a_bearer_key_and_ask_for_usage_in_streams() {
        provider.stream(upstream(Duration.ofSeconds(5)), request("m"), event -> { }, new Cancellation());

        FakeUpstream.Recorded sent = fake.requests().getLast();
        assertThat(sent.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(sent.body().path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(100);
        assertThat(sent.body().path("temperature").asDouble()).isEqualTo(0.5);
    }
}
