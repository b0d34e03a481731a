package io.chatai.bench;

import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.common.uri.UriInfo;
import io.helidon.common.uri.UriPath;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientUri;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * The floor of a gateway built on Helidon, for issue 20: {@code POST /v1/chat/completions} relayed to an upstream
 * through Helidon's server and its HTTP/1.1 client, configured as ChatAI configures them (HTTP/1.1 only, no
 * Nagle, a keep-alive connection named per request, no read timeout on a virtual thread), and nothing else: no
 * filters, no JSON, no keys, no log, no usage row. Each server connection (one virtual thread) keeps its own
 * upstream connection. Compared in the same minutes with nginx, with {@code bench/floor/RelayFloor.java} (the JDK's
 * sockets alone) and with ChatAI, it splits ChatAI's cost per request into the I/O model's, Helidon's and the
 * gateway's own. Not a test and not a product.
 *
 * <pre>java -cp target/chatai-server.jar:target/test-classes io.chatai.bench.HelidonFloor PORT UPSTREAM_PORT</pre>
 */
public final class HelidonFloor {
    private static final List<String> HTTP1 = List.of(Http1Client.PROTOCOL_ID);

    private final WebClient web;
    private final Http1Client client;
    private final int upstreamPort;
    private final ThreadLocal<TcpClientConnection> connection = new ThreadLocal<>();

    private HelidonFloor(int upstreamPort) {
        this.upstreamPort = upstreamPort;
        this.web = WebClient.builder()
                .socketOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .followRedirects(false)
                .sendExpectContinue(false)
                .keepAlive(true)
                .build();
        this.client = web.client(Http1Client.PROTOCOL);
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        HelidonFloor floor = new HelidonFloor(Integer.parseInt(args[1]));
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .protocolsDiscoverServices(false)
                .addProtocol(Http1Config.create())
                .routing(HttpRouting.builder().post("/v1/chat/completions", floor::relay))
                .build()
                .start();
        System.out.println("Helidon floor on 127.0.0.1:" + server.port() + " -> 127.0.0.1:" + args[1]);
    }

    private void relay(ServerRequest req, ServerResponse res) {
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClientUri uri = ClientUri.create(UriInfo.builder().scheme("http").host("127.0.0.1").port(upstreamPort)
                .path(UriPath.create("/v1/chat/completions")).build());
        try (HttpClientResponse answer = client.post()
                .uri(uri)
                .readTimeout(Duration.ZERO)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.ACCEPT, "application/json")
                .connection(upstream())
                .submit(body);
             InputStream in = answer.inputStream()) {
            byte[] bytes = in.readAllBytes();
            res.status(answer.status().code());
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This server connection's upstream connection: one per virtual thread, made on its first request. */
    private TcpClientConnection upstream() {
        TcpClientConnection open = connection.get();
        if (open == null || !open.isConnected()) {
            ConnectionKey key = ConnectionKey.create("http", "127.0.0.1", upstreamPort, Tls.builder().enabled(false).build(),
                    web.prototype().dnsResolver(), web.prototype().dnsAddressLookup(), Proxy.noProxy());
            open = TcpClientConnection.create(web, key, HTTP1, c -> true, c -> {
            }).connect();
            connection.set(open);
        }
        return open;
    }
}
