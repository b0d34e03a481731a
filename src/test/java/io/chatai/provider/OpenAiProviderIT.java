package io.chatai.provider;

import io.chatai.core.message.Part;

import io.chatai.core.Cancellation;
import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.provider.openai.OpenAiProvider;
import io.chatai.testing.DatabaseFree;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The provider contract for OpenAI chat completions, plus what only OpenAI's wire format has. */
@DatabaseFree
class OpenAiProviderIT extends RichMessageContract {

    @Override
    FakeUpstream newFake() {
        return new FakeOpenAi();
    }

    @Override
    String reasoningOrigin() {
        return Part.Reasoning.OPENAI;
    }

    @Override
    boolean reasoningHasSignatures() {
        return false; // DeepSeek-style reasoning_content: the text itself goes back
    }

    @Override
    Provider newProvider(UpstreamHttp http) {
        return new OpenAiProvider(http);
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
