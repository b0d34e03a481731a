package io.chatai.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.testing.TestImages;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageFetcherIT {
    private final TestImages images = new TestImages();
    private final byte[] png = TestImages.image("png", 20, 10, 5);

    @BeforeEach
    void start() {
        images.start();
    }

    @AfterEach
    void stop() {
        images.close();
    }

    private static ImageFetcher fetcher(boolean allowPrivate) {
        return new ImageFetcher(allowPrivate, Duration.ofSeconds(2), 100_000);
    }

    @Test
    void should_fetch_and_follow_up_to_three_redirects() {
        String url = images.serve("/a.png", png);
        images.redirect("/r3", "/a.png");
        images.redirect("/r2", images.url("/r3"));
        images.redirect("/r1", "r2"); // relative Location
        assertThat(fetcher(true).fetch(images.url("/r1"))).isEqualTo(png); // three redirects
        assertThat(fetcher(true).fetch(url)).isEqualTo(png);
        images.redirect("/r0", "/r1");
        assertThatThrownBy(() -> fetcher(true).fetch(images.url("/r0"))).hasMessageContaining("more than 3 redirects");
    }

    @Test
    void should_refuse_loopback_private_and_metadata_addresses_after_resolving() {
        String url = images.serve("/a.png", png);
        assertThatThrownBy(() -> fetcher(false).fetch(url)).isInstanceOf(ImageFetchException.class)
                .hasMessageContaining("loopback");
        // "localhost" is a name: refused for what it resolves to
        assertThatThrownBy(() -> fetcher(false).fetch(url.replace("127.0.0.1", "localhost")))
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> fetcher(false).fetch("http://169.254.169.254/latest/meta-data/"))
                .hasMessageContaining("link-local");
        assertThatThrownBy(() -> fetcher(false).fetch("http://10.1.2.3/x.png")).hasMessageContaining("private");
        assertThatThrownBy(() -> fetcher(false).fetch("http://[::ffff:192.168.1.1]/x.png")).hasMessageContaining("private");
        assertThatThrownBy(() -> fetcher(false).fetch("file:///etc/passwd")).hasMessageContaining("only http and https");
    }

    @Test
    void should_check_every_redirect_hop() {
        // The test server is on loopback, so only loopback is allowed here: the policy applies to every other hop.
        AddressPolicy strict = new AddressPolicy(false);
        ImageFetcher loopbackOnly = new ImageFetcher(a -> a.isLoopbackAddress() ? null : strict.refusal(a),
                Duration.ofSeconds(2), 100_000);
        images.serve("/a.png", png);
        assertThat(loopbackOnly.fetch(images.redirect("/fine", "/a.png"))).isEqualTo(png);
        images.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/");
        assertThatThrownBy(() -> loopbackOnly.fetch(images.url("/to-metadata"))).hasMessageContaining("link-local");
        images.redirect("/to-private", "http://192.168.0.1/router.png");
        assertThatThrownBy(() -> loopbackOnly.fetch(images.url("/to-private"))).hasMessageContaining("private");
        images.redirect("/to-file", "file:///etc/passwd");
        assertThatThrownBy(() -> loopbackOnly.fetch(images.url("/to-file"))).hasMessageContaining("only http and https");
    }

    @Test
    void should_stop_reading_past_the_size_cap_and_report_dead_links() {
        String url = images.serve("/big.png", new byte[200_000]);
        assertThatThrownBy(() -> fetcher(true).fetch(url)).hasMessageContaining("larger than 100000 bytes");
        assertThatThrownBy(() -> fetcher(true).fetch(images.url("/missing.png"))).hasMessageContaining("HTTP 404");
        String live = images.serve("/a.png", png);
        images.stop();
        assertThatThrownBy(() -> fetcher(true).fetch(live)).isInstanceOf(ImageFetchException.class)
                .hasMessageContaining("could not be fetched");
    }

    @Test
    void should_give_up_on_a_server_that_trickles_past_the_deadline() throws Exception {
        try (ServerSocket slow = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket client = slow.accept(); OutputStream out = client.getOutputStream()) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 1000; i++) {
                        out.write(0);
                        out.flush();
                        Thread.sleep(100); // each byte in time for a per-read timeout, the whole far too slow
                    }
                } catch (IOException | InterruptedException ignored) {
                    // the fetcher hung up
                }
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> fetcher(true).fetch("http://127.0.0.1:" + slow.getLocalPort() + "/slow"))
                    .hasMessageContaining("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }
}
