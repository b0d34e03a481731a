package io.chatai.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
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
        UpstreamError error = UpstreamFailures.fromStatus(status, "{\"error\":{\"message\":\"m\"}}", null, List.of("sk-x"));

        assertThat(error.getClass().getSimpleName()).isEqualTo(kind);
        assertThat(error.retryable()).isEqualTo(retryable);
    }

    @Test
    void should_not_cool_a_channel_for_a_refused_key_or_a_bad_request() {
        assertThat(UpstreamFailures.fromStatus(401, null, null, List.of()).coolsChannel()).isFalse();
        assertThat(UpstreamFailures.fromStatus(400, null, null, List.of()).coolsChannel()).isFalse();
        assertThat(UpstreamFailures.fromStatus(500, null, null, List.of()).coolsChannel()).isTrue();
    }

    @Test
    void should_read_geminis_400_for_an_invalid_key_as_a_refused_key() {
        String body = """
                {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                  "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                  "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}""";

        assertThat(UpstreamFailures.fromStatus(400, body, null, List.of("AIza-key"))).isInstanceOf(UpstreamError.AuthFailed.class);
        assertThat(UpstreamFailures.fromStatus(400, "{\"error\":{\"message\":\"mentions API_KEY_INVALID in prose\"}}", null, List.of()))
                .isInstanceOf(UpstreamError.BadRequest.class);
    }

    @Test
    void should_read_retry_after_of_a_429() {
        UpstreamError error = UpstreamFailures.fromStatus(429, "slow down", "17", List.of());

        assertThat(((UpstreamError.RateLimited) error).retryAfter()).isEqualTo(Duration.ofSeconds(17));
    }

    @Test
    void should_take_the_message_from_each_providers_error_body_and_redact_the_key() {
        String key = "sk-proj-abcdefghijklmnop1234";
        assertThat(UpstreamFailures.fromStatus(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + key + "\"}}", null,
                List.of(key)).describe()).doesNotContain(key).doesNotContain("1234").contains("provided: [redacted]");
        assertThat(UpstreamFailures.fromStatus(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens\"}}",
                null, List.of()).describe()).contains("max_tokens");
        assertThat(UpstreamFailures.fromStatus(400, "<html>Bad Gateway</html>", null, List.of()).describe()).contains("<html>Bad Gateway</html>");
    }

    @Test
    void should_redact_every_secret_before_cutting_the_message_to_length() {
        String key = "sk-live-0123456789abcdefghijklmnopqrstuvwxyz"; // 42 characters
        String header = "org-header-value-7777";
        for (int start = 250; start <= 300; start++) {
            String body = "{\"error\":{\"message\":\"" + "x".repeat(start) + key + " " + header + "\"}}";
            String seen = UpstreamFailures.fromStatus(400, body, null, List.of("sk-other-key-000000", key, header)).describe();

            for (String secret : List.of(key, header)) {
                for (int i = 0; i + 4 <= secret.length(); i++) {
                    assertThat(seen).as("start %d", start).doesNotContain(secret.substring(i, i + 4));
                }
            }
            assertThat(seen.length()).isLessThan(400);
        }
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
    void should_describe_transport_failures_in_words_without_java_names() {
        String reset = UpstreamFailures.fromTransport(new UncheckedIOException(new java.net.SocketException("Connection reset")), true).describe();
        String pkix = UpstreamFailures.fromTransport(new javax.net.ssl.SSLHandshakeException("PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path"), false).describe();
        String nameless = UpstreamFailures.fromTransport(new IllegalStateException(), true).describe();

        assertThat(reset).isEqualTo("broken stream: the connection failed while the answer was read (Connection reset)");
        assertThat(pkix).isEqualTo("unreachable: TLS failed (PKIX path building failed: unable to find valid certification path)");
        assertThat(nameless).isEqualTo("broken stream: the connection failed while the answer was read");
        assertThat(UpstreamFailures.reason(new RuntimeException(new java.io.IOException("disk full")))).isEqualTo("disk full");
    }

    @Test
    void should_mask_secrets() {
        assertThat(UpstreamFailures.mask("sk-live-secret-key-1234abcd")).isEqualTo("sk-…abcd");
        assertThat(UpstreamFailures.mask("AIzaSyA-long-google-key-9z9z")).isEqualTo("…9z9z");
        assertThat(UpstreamFailures.mask("short")).isEqualTo("…");
    }
}
