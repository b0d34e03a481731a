package io.chatai.provider;

import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;

import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.provider.anthropic.AnthropicProvider;
import io.chatai.testing.DatabaseFree;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeUpstream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider contract for Anthropic Messages, plus what only Anthropic's wire format has. */
@DatabaseFree
class AnthropicProviderIT extends RichMessageContract {

    @Override
    FakeUpstream newFake() {
        return new FakeAnthropic();
    }

    @Override
    String reasoningOrigin() {
        return Part.Reasoning.ANTHROPIC;
    }

    @Override
    boolean hasRedactedReasoning() {
        return true;
    }

    @Override
    TokenUsage usageAsReported(TokenUsage full) {
        // Anthropic reports cache reads and writes but no separate thinking tokens.
        return new TokenUsage(full.promptTokens(), full.completionTokens(), full.cachedPromptTokens(),
                full.cacheCreationTokens(), 0, false);
    }

    @Override
    Provider newProvider(UpstreamHttp http) {
        return new AnthropicProvider(http);
    }

    @Test
    void should_send_the_version_header_no_system_role_and_the_presets_max_tokens() {
        provider.complete(upstream(Duration.ofSeconds(5)), request("claude-x"), new Cancellation());

        FakeUpstream.Recorded sent = fake.requests().getLast();
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("x-api-key")).isEqualTo(KEY);
        assertThat(sent.authorization()).isNull();
        assertThat(sent.messages()).noneMatch(m -> m.path("role").asText().equals("system"));
        assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(100);
        assertThat(sent.body().path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(sent.body().has("top_p")).isFalse();
    }

    @Test
    void should_supply_max_tokens_when_the_preset_has_none() {
        ModelRequest noLimit = new ModelRequest("claude-x", List.of(ChatMessage.user("hi")), null, null, null);

        provider.complete(upstream(Duration.ofSeconds(5)), noLimit, new Cancellation());

        FakeUpstream.Recorded sent = fake.requests().getLast();
        assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(sent.body().has("system")).isFalse();
        assertThat(sent.body().has("temperature")).isFalse();
    }

    @Test
    void should_leave_out_empty_messages_which_anthropic_refuses() {
        ModelRequest withEmpty = new ModelRequest("claude-x", List.of(ChatMessage.user("a"), ChatMessage.assistant(""),
                ChatMessage.user("b")), null, null, null);

        provider.complete(upstream(Duration.ofSeconds(5)), withEmpty, new Cancellation());

        assertThat(fake.conversationOf(fake.requests().getLast())).containsExactly("user: a", "user: b");
    }
}
