package io.chatai.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Oversized bodies, trickled requests and half-sent requests against the real server. */
class HostileInputIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults()
            .withEnv("CHATAI_REQUEST_READ_TIMEOUT_SECONDS", "2")
            // Without images the chat routes' listener limit is CHATAI_MAX_BODY_BYTES itself (1 MiB here); with the
            // default 4 images of 10 MiB it would admit about 57 MB, and these bodies would have to be larger still.
            .withEnv("CHATAI_MAX_IMAGES", "0")
            .withChannelFor(upstream);

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", Integer.parseInt(server.baseUrl().substring(server.baseUrl().lastIndexOf(':') + 1)));
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String head(String method, String path, String extraHeaders) {
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
                + "\r\nContent-Type: application/json\r\n" + extraHeaders + "\r\n";
    }

    /** Reads the response until the connection closes or the body of a Content-Length response is in. */
    private static String readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            String text = out.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            int length = text.toLowerCase().indexOf("content-length: ");
            if (split > 0 && length > 0) {
                int value = Integer.parseInt(text.substring(length + 16, text.indexOf("\r\n", length)).trim());
                if (text.length() - split - 4 >= value) {
                    break;
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void should_refuse_a_20_mb_body_from_its_length_before_reading_it() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", "/api/chat", "Content-Length: " + 20 * 1024 * 1024 + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write("{\"message\": \"".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Nothing more is sent: an answer now proves the server did not wait to read the 20 MB.
            String response = readResponse(socket);
            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response).contains("\"code\":\"PAYLOAD_TOO_LARGE\"").contains("\"success\":false");
        }
    }

    @Test
    void should_refuse_a_20_mb_chunked_body_while_memory_stays_flat() throws Exception {
        var memory = ManagementFactory.getMemoryMXBean();
        byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long baseline = 0;
        for (int round = 0; round < 6; round++) {
            try (Socket socket = connect()) {
                OutputStream out = socket.getOutputStream();
                out.write(head("POST", "/api/chat", "Transfer-Encoding: chunked\r\n").getBytes(StandardCharsets.US_ASCII));
                try {
                    for (int sent = 0; sent < 20 * 1024 * 1024; sent += 0x10000) {
                        out.write(chunk);
                    }
                } catch (IOException closedByServer) {
                    // expected: the server stops reading once the limit is passed
                }
                assertThat(readResponse(socket)).startsWith("HTTP/1.1 413");
            }
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (round == 1) {
                baseline = used;
            }
            if (round > 1) {
                // 20 MB per request would show; allow GC noise of a few MB.
                assertThat(used - baseline).as("heap growth after round " + round).isLessThan(16L * 1024 * 1024);
            }
        }
    }

    @Test
    void should_serve_other_callers_while_fifty_requests_stall_and_then_cut_the_stalled_ones_off() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket socket = connect();
                OutputStream out = socket.getOutputStream();
                if (i % 2 == 0) {
                    // half the headers, then silence
                    out.write(("POST /api/chat HTTP/1.1\r\nHost: localhost\r\nAuthoriz").getBytes(StandardCharsets.US_ASCII));
                } else {
                    // whole headers, a tenth of the announced body, then silence
                    out.write(head("POST", "/api/chat", "Content-Length: 1000\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write("{\"message\": \"hel".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                stalled.add(socket);
            }

            long started = System.nanoTime();
            Api.Response normal = server.admin().post("/api/chat", Map.of("message", "I am not stalled", "userId", "patient"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(normal.status()).isEqualTo(200);
            assertThat(took).as("a normal call next to fifty stalled ones").isLessThan(Duration.ofSeconds(1));

            // After the read timeout (2 s here) the server has closed every stalled connection.
            Thread.sleep(3_500);
            for (Socket socket : stalled) {
                socket.setSoTimeout(2_000);
                int read;
                try {
                    read = socket.getInputStream().read();
                    while (read != -1) {
                        read = socket.getInputStream().read(); // a 4xx may precede the close; drain it
                    }
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("a stalled connection is still open", e);
                } catch (IOException reset) {
                    read = -1;
                }
                assertThat(read).isEqualTo(-1);
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void should_answer_a_malformed_request_with_the_envelope() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nThis is no header\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = readResponse(socket);
            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response).contains("\"code\":\"INVALID_REQUEST\"").contains("X-Request-Id").doesNotContain("<html");
        }
    }
}
