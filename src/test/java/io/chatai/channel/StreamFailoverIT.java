package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Streams fail over exactly until their first byte of content reaches the client, and never after:
 * the gateway complaints of fallback that does not trigger on streams, and of streams that go silent
 * after their 200. A preferred Anthropic channel misbehaves; a backup Gemini channel works.
 */
class StreamFailoverIT {
    static final FakeAnthropic preferred = new FakeAnthropic();
    static final FakeGemini backup = new FakeGemini();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(preferred).withUpstream(backup);
    static final Api api = server.admin();

    @BeforeEach
    void freshChannels() {
        preferred.resetScript();
        backup.resetScript();
        server.deleteChannels();
        server.addChannel(preferred, Map.of("name", "preferred", "priority", 10, "timeoutMs", 300));
        server.addChannel(backup, Map.of("name", "backup", "priority", 0));
    }

    static Api.Stream stream() {
        return api.stream("/api/chat/stream", Map.of("message", "hello", "userId", "s" + System.nanoTime()));
    }

    void assertBackupStreamedTheWholeAnswer(Api.Stream stream, int preferredCallsBefore) {
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.types()).containsExactly("start", "content", "content", "end");
        assertThat(stream.text()).isEqualTo("echo(2): hello");
        assertThat(preferred.calls() - preferredCallsBefore).isEqualTo(1);
        assertThat(backup.requests().getLast().path()).endsWith(":streamGenerateContent");
    }

    @Test
    void should_fail_a_stream_over_when_the_preferred_channel_returns_500() {
        int before = preferred.calls();
        preferred.always(Reply.status(500, "internal error"));

        assertBackupStreamedTheWholeAnswer(stream(), before);
    }

    @Test
    void should_fail_a_stream_over_when_the_preferred_channel_goes_silent_after_its_200() {
        int before = preferred.calls();
        preferred.always(Reply.stalling());

        assertBackupStreamedTheWholeAnswer(stream(), before);
    }

    @Test
    void should_fail_a_stream_over_when_the_preferred_channel_reports_overload_before_any_text() {
        int before = preferred.calls();
        preferred.always(Reply.text().failingMidStream(529, "Overloaded"));

        assertBackupStreamedTheWholeAnswer(stream(), before);
    }

    @Test
    void should_not_fail_over_after_content_was_streamed_and_end_with_an_error_event() {
        int backupBefore = backup.calls();
        preferred.always(Reply.text("Half of ", "an answer").failingMidStream(529, "Overloaded"));

        Api.Stream stream = stream();

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.types()).containsExactly("start", "content", "content", "error");
        assertThat(stream.text()).isEqualTo("Half of an answer");
        assertThat(stream.events().getLast().path("code").asText()).isEqualTo("MODEL_ERROR");
        assertThat(backup.calls()).isEqualTo(backupBefore);
    }

    @Test
    void should_not_fail_over_after_content_when_the_upstream_connection_just_ends() {
        int backupBefore = backup.calls();
        preferred.always(Reply.text("Half of ", "an answer").brokenAfterChunks());

        Api.Stream stream = stream();

        assertThat(stream.types()).containsExactly("start", "content", "content", "error");
        assertThat(stream.events().getLast().path("error").asText()).contains("message_stop");
        assertThat(backup.calls()).isEqualTo(backupBefore);
    }
}
