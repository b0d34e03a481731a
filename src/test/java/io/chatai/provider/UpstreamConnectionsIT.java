package io.chatai.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.helidon.webclient.api.ClientUri;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream keep-alive connections: reused, never watched by a thread while idle, dropped once closed or too old. */
class UpstreamConnectionsIT {
    private final HttpServer server = new HttpServer();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void should_serve_calls_one_after_another_on_one_connection() {
        try (UpstreamHttp http = new UpstreamHttp()) {
            for (int i = 0; i < 5; i++) {
                assertThat(post(http)).isEqualTo(HttpServer.ANSWER);
            }
        }
        assertThat(server.accepted.get()).isEqualTo(1);
    }

    @Test
    void should_keep_idle_connections_without_a_thread_reading_them() throws IOException {
        try (UpstreamHttp http = new UpstreamHttp()) {
            post(http);
            // Helidon's own pool starts a "helidon-socket-monitor" virtual thread per idle connection, which
            // reads it in 101 ms steps until the next request.
            Path dump = dir.resolve("threads.json");
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            assertThat(Files.readString(dump)).as("a dump that lists this thread")
                    .contains("\"" + Thread.currentThread().getName() + "\"").doesNotContain("helidon-socket-monitor");
            assertThat(post(http)).isEqualTo(HttpServer.ANSWER);
        }
        assertThat(server.accepted.get()).isEqualTo(1);
    }

    @Test
    void should_not_hand_out_a_connection_the_upstream_closed_while_it_was_idle() throws InterruptedException {
        server.closeAfterAnswer = true; // without "Connection: close", as a server does when its keep-alive ends
        try (Pool pool = new Pool(Duration.ofMillis(50), Duration.ofSeconds(60))) {
            assertThat(pool.call()).isEqualTo(HttpServer.ANSWER);
            Thread.sleep(200);
            assertThat(pool.call()).isEqualTo(HttpServer.ANSWER);
        }
        assertThat(server.accepted.get()).isEqualTo(2);
    }

    @Test
    void should_send_again_on_a_new_connection_when_the_upstream_closed_the_reused_one_just_before() {
        server.closeAfterAnswer = true; // a keep-alive shorter than the 2 s after which a pooled connection is checked
        try (UpstreamHttp http = new UpstreamHttp()) {
            assertThat(post(http)).isEqualTo(HttpServer.ANSWER);
            assertThat(post(http)).isEqualTo(HttpServer.ANSWER);
        }
        assertThat(server.accepted.get()).isEqualTo(2);
        assertThat(server.requests.get()).as("the second request reached the upstream once").isEqualTo(2);
    }

    @Test
    void should_close_a_connection_idle_past_the_limit_instead_of_using_it() throws InterruptedException {
        try (Pool pool = new Pool(Duration.ofSeconds(60), Duration.ofMillis(100))) {
            pool.call();
            Thread.sleep(200);
            pool.call();
            assertThat(server.accepted.get()).isEqualTo(2);
            assertThat(pool.connections.idleCount()).isEqualTo(1);
            awaitClosedByClient(1);
        }
        awaitClosedByClient(2); // closing the pool closes the one it kept
    }

    /** The server notices a closed connection on its own thread. */
    private void awaitClosedByClient(int expected) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.closedByClient.get() < expected && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(server.closedByClient.get()).isEqualTo(expected);
    }

    private String post(UpstreamHttp http) {
        Upstream upstream = new Upstream("test", server.url(), null, Map.of(), Duration.ofSeconds(5), null);
        try (UpstreamResponse response = http.postJson(upstream, server.url(), Map.of(), "{}".getBytes(StandardCharsets.UTF_8), false)) {
            return response.readBody();
        }
    }

    /** The pool with other idle limits, and a client that takes its connections from it. */
    private final class Pool implements AutoCloseable {
        final WebClient web = WebClient.builder().build();
        final Http1Client client = web.client(Http1Client.PROTOCOL);
        final UpstreamConnections connections;

        Pool(Duration probeAfter, Duration maxIdle) {
            connections = new UpstreamConnections(web, 8, probeAfter, maxIdle);
        }

        String call() {
            ClientUri uri = ClientUri.create(URI.create(server.url()));
            try (HttpClientResponse response = client.post().uri(uri).connection(connections.take(uri, Proxy.noProxy()).connection()).submit("{}")) {
                return response.as(String.class);
            }
        }

        @Override
        public void close() {
            connections.close();
        }
    }

    /** A minimal HTTP/1.1 server: a fixed JSON answer per request; counts the connections it accepted and lost. */
    private static final class HttpServer implements AutoCloseable {
        static final String ANSWER = "{\"ok\":true}";
        final ServerSocket socket;
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger closedByClient = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        volatile boolean closeAfterAnswer;

        HttpServer() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread.ofPlatform().daemon().start(this::accept);
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/v1/test";
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    accepted.incrementAndGet();
                    Thread.ofPlatform().daemon().start(() -> serve(connection));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket connection) {
            try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        closedByClient.incrementAndGet();
                        return;
                    }
                    String length = head.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                            .map(line -> line.substring(15).trim()).findFirst().orElse("0");
                    in.readNBytes(Integer.parseInt(length));
                    requests.incrementAndGet();
                    byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    if (closeAfterAnswer) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away mid-request: nothing to count
            }
        }

        /** The request line and headers, or null when the client closed the connection before a request. */
        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    return head.toString();
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
