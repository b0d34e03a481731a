package io.chatai.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.chatai.config.Config;
import io.chatai.observe.Logging;
import io.chatai.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Malformed framing, HTTP/1.0 and over-long request lines, written byte by byte to the real server: each
 * is answered in the envelope with its 4xx (or 505) status, and nothing is logged as an error, with or
 * without a stack trace. Helidon logs through JUL, routed into logback as in production.
 */
class MalformedHttpIT {
    static TestServer server;
    static final Logger ROOT = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() {
        Logging.configure(Config.LogFormat.TEXT); // Helidon's JUL records into logback, as Main does
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        ROOT.addAppender(logs);
    }

    @AfterEach
    void noErrorWasLogged() {
        ROOT.detachAppender(logs);
        assertThat(logs.list).as("log events at WARN or above, or carrying a stack trace")
                .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN) || event.getThrowableProxy() != null);
    }

    private static String post(String framing, String body) {
        return "POST /api/keys HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
                + "\r\nContent-Type: application/json\r\n" + framing + "\r\n" + body;
    }

    /** Sends the bytes and reads until the server closes the connection (every refusal closes it). */
    private static String exchange(String request) throws IOException {
        return exchange(request, false);
    }

    /** Sends the bytes and reads until the server closes the connection or, if asked, the first whole body is in. */
    private static String exchange(String request, boolean oneBody) throws IOException {
        int port = Integer.parseInt(server.baseUrl().substring(server.baseUrl().lastIndexOf(':') + 1));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while (!(oneBody && hasWholeBody(out)) && (n = in.read(buffer)) != -1) {
                    out.write(buffer, 0, n);
                }
            } catch (SocketException reset) {
                // a reset after the answer still counts as closed; what was read is checked below
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static boolean hasWholeBody(ByteArrayOutputStream received) {
        String text = received.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        int length = text.indexOf("Content-Length: ");
        return end > 0 && length > 0
                && text.length() - end - 4 >= Integer.parseInt(text.substring(length + 16, text.indexOf("\r\n", length)));
    }

    private static void assertRefused(String response, int status) {
        assertThat(response).startsWith("HTTP/1.1 " + status + " ");
        assertThat(response).contains("Content-Type: application/json").contains("X-Request-Id: ")
                .contains("\"success\":false").contains("\"code\":\"INVALID_REQUEST\"")
                .doesNotContain("Exception").doesNotContain("<html");
        assertThat(response.split("HTTP/1\\.1 ", -1)).as("exactly one response, then the connection is closed").hasSize(2);
    }

    @Test
    void should_answer_400_to_two_content_lengths() throws IOException {
        String response = exchange(post("Content-Length: 13\r\nContent-Length: 14\r\n", "{\"name\":\"a\"}"));
        assertRefused(response, 400);
        assertThat(response).contains("Content-Length header must have exactly one value");
    }

    @Test
    void should_answer_400_to_a_negative_content_length() throws IOException {
        assertRefused(exchange(post("Content-Length: -13\r\n", "{\"name\":\"a\"}")), 400);
    }

    @Test
    void should_answer_400_to_gzip_then_chunked() throws IOException {
        String response = exchange(post("Transfer-Encoding: gzip, chunked\r\n", "c\r\n{\"name\":\"a\"}\r\n0\r\n\r\n"));
        assertRefused(response, 400);
        assertThat(response).contains("Unsupported Transfer-Encoding");
    }

    @Test
    void should_answer_400_to_an_unknown_transfer_encoding() throws IOException {
        assertRefused(exchange(post("Transfer-Encoding: zstd-turbo\r\n", "c\r\n{\"name\":\"a\"}\r\n0\r\n\r\n")), 400);
    }

    @Test
    void should_answer_400_to_a_bad_chunk_size_and_close_without_reading_the_rest_as_a_request() throws IOException {
        // The rest after the bad size is a whole request of its own: it must not be answered.
        String smuggled = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
        String response = exchange(post("Transfer-Encoding: chunked\r\n", "zz\r\n" + smuggled));
        assertRefused(response, 400);
        assertThat(response).contains("Invalid chunk size").doesNotContain("\"UP\"");
    }

    @Test
    void should_answer_an_http_1_0_request() throws IOException {
        String response = exchange("GET /health HTTP/1.0\r\n\r\n");
        assertRefused(response, 505);
        assertThat(response).contains("send the request as HTTP/1.1");
    }

    @Test
    void should_answer_414_to_a_request_line_over_8_kib_and_serve_one_of_exactly_8_kib() throws IOException {
        String prefix = "GET /health?pad=";
        String suffix = " HTTP/1.1";
        String pad = "a".repeat(8192 - prefix.length() - suffix.length());
        String longest = prefix + pad + suffix;
        assertThat(longest).hasSize(8192);

        String served = exchange(longest + "\r\nHost: localhost\r\n\r\n", true);
        String tooLong = exchange(prefix + pad + "a" + suffix + "\r\nHost: localhost\r\n\r\n");

        assertThat(served).startsWith("HTTP/1.1 200 ").contains("\"UP\"");
        assertRefused(tooLong, 414);
        assertThat(tooLong).contains("longer than 8192 bytes");
    }

    @Test
    void should_answer_400_to_bytes_that_are_not_http() throws IOException {
        assertRefused(exchange("NOT AN HTTP REQUEST AT ALL\r\n\r\n"), 400);
    }
}
