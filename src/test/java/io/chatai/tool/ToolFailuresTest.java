package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.JavaNames;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ToolFailuresTest {

    @Test
    void should_name_the_most_telling_cause_in_one_short_line() {
        assertThat(ToolFailures.describe(new RuntimeException("Client failed to initialize", new ConnectException()), List.of()))
                .isEqualTo("connection refused");
        assertThat(ToolFailures.describe(new RuntimeException("x", new UnknownHostException("tools.invalid")), List.of()))
                .isEqualTo("unknown host tools.invalid");
        assertThat(ToolFailures.describe(new RuntimeException("Client failed to initialize by explicit API call",
                new McpTransportException("Received unexpected status code: 405\n\n, response body: nope")), List.of()))
                .isEqualTo("Received unexpected status code: 405 , response body: nope");
        assertThat(ToolFailures.describe(new RuntimeException(new TimeoutException("Did not observe any item")), List.of())).isEqualTo("no answer in time");
        McpError error = new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(-32603, "the tool exploded", null));
        assertThat(ToolFailures.describe(new RuntimeException(error), List.of())).isEqualTo("the server answered with an error: the tool exploded");
        assertThat(ToolFailures.describe(new IllegalStateException(), List.of())).isEqualTo("an unexpected failure");
        assertThat(ToolFailures.describe(new RuntimeException("y".repeat(1000)), List.of())).hasSize(ToolFailures.MAX_CHARS).endsWith("…");
    }

    @Test
    void should_name_no_java_class() {
        String described = ToolFailures.describe(new RuntimeException("Client failed to initialize",
                new java.io.IOException("java.net.SocketException: Connection reset")), List.of());

        assertThat(described).isEqualTo("Connection reset");
        JavaNames.assertNone(described);
    }

    @Test
    void should_redact_the_servers_own_secrets_when_it_echoes_them_whole_or_in_part() {
        String echoed = "Received unexpected status code: 401, response body: bad token Bearer tool-secret-token-9876";

        assertThat(ToolFailures.describe(new McpTransportException(echoed), List.of("Bearer tool-secret-token-9876", "abc")))
                .isEqualTo("Received unexpected status code: 401, response body: bad token [redacted]");
        // a server that quotes the token cut short, at the very end of a line that is cut itself
        String piece = "x".repeat(ToolFailures.MAX_CHARS - 20) + " token tool-secret-tok";
        assertThat(ToolFailures.describe(new RuntimeException(piece), List.of("Bearer tool-secret-token-9876")))
                .doesNotContain("secret").doesNotContain("tool-s");
    }

    @Test
    void should_cut_without_splitting_a_character() {
        String described = ToolFailures.describe(new RuntimeException("y".repeat(ToolFailures.MAX_CHARS - 2) + "😀😀"), List.of());

        assertThat(described).endsWith("y…").hasSize(ToolFailures.MAX_CHARS - 1);
    }

    @Test
    void should_back_off_from_one_second_to_a_minute() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 100).stream().map(LiveServer::backoff).toList())
                .containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 60_000L, 60_000L, 60_000L);
    }
}
