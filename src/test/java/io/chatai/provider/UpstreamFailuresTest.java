package io.chatai.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamFailuresTest {

    @ParameterizedTest
    @CsvSource({
            "400, BadRequest, false",
            "422, BadRequest, false",
            "413, BadRequest, false",
            "401, AuthFailed, true",
            "402, RateLimited, true",
            "403, AuthFailed, true",
            "404, NotFound, true",
            "408, Timeout, true",
            "429, RateLimited, true",
            "500, ServerError, true",
            "502, ServerError, true",
            "503, ServerError, true",
            "529, ServerError, true"})
    void should_classify_statuses(int status, String kind, boolean retryable) {
        UpstreamError error = UpstreamFailures.fromStatus(status, "{\"error\":{\"message\":\"m\"}}", null, "sk-x");

        assertThat(error.getClass().getSimpleName()).isEqualTo(kind);
        assertThat(error.retryable()).isEqualTo(retryable);
    }

    @Test
    void should_not_cool_a_channel_for_a_refused_key_or_a_bad_request() {
        assertThat(UpstreamFailures.fromStatus(401, null, null, null).coolsChannel()).isFalse();
        assertThat(UpstreamFailures.fromStatus(400, null, null, null).coolsChannel()).isFalse();
        assertThat(UpstreamFailures.fromStatus(500, null, null, null).coolsChannel()).isTrue();
    }

    @Test
    void should_read_geminis_400_for_an_invalid_key_as_a_refused_key() {
        String body = """
                {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                  "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                  "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}""";

        assertThat(UpstreamFailures.fromStatus(400, body, null, "AIza-key")).isInstanceOf(UpstreamError.AuthFailed.class);
        assertThat(UpstreamFailures.fromStatus(400, "{\"error\":{\"message\":\"mentions API_KEY_INVALID in prose\"}}", null, null))
                .isInstanceOf(UpstreamError.BadRequest.class);
    }

    @Test
    void should_read_retry_after_of_a_429() {
        UpstreamError error = UpstreamFailures.fromStatus(429, "slow down", "17", null);

        assertThat(((UpstreamError.RateLimited) error).retryAfter()).isEqualTo(Duration.ofSeconds(17));
    }

    @Test
    void should_take_the_message_from_each_providers_error_body_and_scrub_the_key() {
        String key = "sk-proj-abcdefghijklmnop1234";
        assertThat(UpstreamFailures.fromStatus(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + key + "\"}}", null, key)
                .describe()).doesNotContain(key).contains("sk-…1234");
        assertThat(UpstreamFailures.fromStatus(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens\"}}",
                null, null).describe()).contains("max_tokens");
        assertThat(UpstreamFailures.fromStatus(400, "<html>Bad Gateway</html>", null, null).describe()).contains("<html>Bad Gateway</html>");
    }

    @Test
    void should_classify_transport_failures() {
        assertThat(UpstreamFailures.fromTransport(new UncheckedIOException(new ConnectException("refused")), false))
                .isInstanceOf(UpstreamError.Unreachable.class);
        assertThat(UpstreamFailures.fromTransport(new UncheckedIOException(new SocketTimeoutException("Read timed out")), false))
                .isInstanceOfSatisfying(UpstreamError.Timeout.class, t -> assertThat(t.phase()).contains("first byte"));
        assertThat(UpstreamFailures.fromTransport(new UncheckedIOException(new SocketTimeoutException("Read timed out")), true))
                .isInstanceOfSatisfying(UpstreamError.Timeout.class, t -> assertThat(t.phase()).contains("next chunk"));
        assertThat(UpstreamFailures.fromTransport(new IllegalStateException("reset"), true)).isInstanceOf(UpstreamError.BrokenStream.class);
    }

    @Test
    void should_mask_secrets() {
        assertThat(UpstreamFailures.mask("sk-live-secret-key-1234abcd")).isEqualTo("sk-…abcd");
        assertThat(UpstreamFailures.mask("AIzaSyA-long-google-key-9z9z")).isEqualTo("…9z9z");
        assertThat(UpstreamFailures.mask("short")).isEqualTo("…");
    }
}
