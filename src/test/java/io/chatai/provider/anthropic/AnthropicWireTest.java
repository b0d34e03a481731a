package io.chatai.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamFailures;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicWireTest {

    @Test
    void should_put_every_system_message_into_the_top_level_system() {
        AnthropicRequest request = AnthropicRequest.of(new ModelRequest("claude", List.of(ChatMessage.system("one"),
                ChatMessage.system("two"), ChatMessage.user("hi")), null, null, null), true);

        assertThat(request.system()).isEqualTo("one\n\ntwo");
        assertThat(request.messages()).containsExactly(new AnthropicBlocks.Message("user", "hi"));
        assertThat(request.maxTokens()).isEqualTo(4096);
        assertThat(request.stream()).isTrue();
    }

    @Test
    void should_classify_error_events_like_the_status_of_their_type() {
        assertThat(kind("overloaded_error")).isInstanceOf(UpstreamError.ServerError.class);
        assertThat(kind("rate_limit_error")).isInstanceOf(UpstreamError.RateLimited.class);
        assertThat(kind("authentication_error")).isInstanceOf(UpstreamError.AuthFailed.class);
        assertThat(kind("invalid_request_error")).isInstanceOf(UpstreamError.BadRequest.class);
        assertThat(kind("billing_error").retryable()).isTrue();
        assertThat(kind("something_new").retryable()).isTrue();
    }

    private static UpstreamError kind(String type) {
        return UpstreamFailures.fromStatus(AnthropicWire.statusOf(type), null, null, null);
    }
}
