package io.chatai.server;

import io.chatai.web.ErrorResponses;
import io.chatai.web.RequestIds;
import io.chatai.web.Requests;
import io.chatai.web.TransportErrors;
import io.chatai.web.SlowRequestGuard;
import io.chatai.config.Config;
import io.chatai.config.ConfigException;
import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.helidon.common.socket.SocketOptions;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.ErrorHandling;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the HTTP server: request ids first, then the given filters (access log, CORS, authentication), then
 * the routes, with every failure answered in the contract's envelope; bodies over the limit are refused
 * from their {@code Content-Length} before they are read, and requests that trickle in are cut off by
 * the {@link SlowRequestGuard}. Tests build the same routing, so they exercise the real thing.
 */
public final class HttpServer {
    /** Keep-alive connections idle longer than this are closed (nginx uses 75 s). */
    private static final Duration IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(60);
    /** Longest request line (method, target, version; CRLF not counted) answered; a longer one is 414. */
    static final int MAX_REQUEST_LINE_BYTES = 8 * 1024;

    private final Config config;
    private final SlowRequestGuard guard;
    private final List<Map.Entry<String, HttpService>> services = new ArrayList<>();
    private final List<Filter> filters;

    /** @param filters run in order after request ids, before any route */
    public HttpServer(Config config, SlowRequestGuard guard, List<Filter> filters) {
        this.config = config;
        this.guard = guard;
        this.filters = List.copyOf(filters);
    }

    public HttpServer register(String path, HttpService service) {
        services.add(Map.entry(path, service));
        return this;
    }

    public HttpRouting.Builder routing() {
        HttpRouting.Builder routing = HttpRouting.builder()
                .addFilter(RequestIds::filter)
                .addFilter((chain, req, res) -> {
                    req.context().register(guard); // lets body readers stop the request's read clock
                    chain.proceed();
                });
        routing.addFilter((chain, req, res) -> {
            // The listener admits bodies as large as a chat message with its images may be; every other
            // route keeps the configured body limit, read from Content-Length before the body is.
            long length = req.headers().contentLength().orElse(0L);
            if (length > config.maxBodyBytes() && !req.path().path().startsWith("/api/chat")) {
                throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is " + length
                        + " bytes; the limit is " + config.maxBodyBytes() + " (CHATAI_MAX_BODY_BYTES)");
            }
            chain.proceed();
        });
        filters.forEach(routing::addFilter);
        routing.addFilter(Requests::closeAfterBrokenFraming); // last: its hook runs after the access log's
        services.forEach(entry -> routing.register(entry.getKey(), entry.getValue()));
        return routing.error(Throwable.class, ErrorResponses::handle);
    }

    public WebServer start() {
        requireFreeAddress();
        DirectHandler direct = TransportErrors.handler(MAX_REQUEST_LINE_BYTES);
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, direct);
        }
        WebServer server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .maxPayloadSize(config.maxChatBodyBytes())
                // Without TCP_NODELAY each small SSE event after the first waits for the client's delayed
                // ACK (about 40 ms): Nagle's algorithm. Every write here is a whole event, so send at once.
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .idleConnectionTimeout(IDLE_CONNECTION_TIMEOUT)
                .idleConnectionPeriod(Duration.ofSeconds(10))
                // On stop, running requests (a streaming turn, say) get this long to finish before they are cut.
                .shutdownGracePeriod(config.shutdownGrace())
                // This Http1Config must be the only protocol: service discovery would add a default one
                // beside it, and with two candidates Helidon's ConnectionHandler.identifyConnection asks
                // Http1ConnectionSelector.supports, which drops HTTP/1.0 and long request lines by closing
                // the connection without an answer. Alone, the connection is HTTP/1 at once and every
                // refusal reaches the direct handlers below.
                .protocolsDiscoverServices(false)
                .addProtocol(Http1Config.builder()
                        // Helidon's bound is exclusive (Http1Prologue: a line of this length is already 414).
                        .maxPrologueLength(MAX_REQUEST_LINE_BYTES + 1)
                        .addReceiveListener(guard.receiveListener())
                        .addSendListener(guard.sendListener())
                        .build())
                .directHandlers(handlers.build())
                // Hands Helidon's description of a malformed request ("Chunk size is invalid") to the
                // direct handlers, which show it in the envelope; messages it deems unsafe stay generic.
                .errorHandling(ErrorHandling.builder().includeEntity(true).build())
                .routing(routing())
                .build()
                .start();
        // Helidon logs a listener it cannot bind and returns a stopped server (port -1) instead of throwing:
        // without this check the process logged "listening on ...:-1" and exited with status 0.
        if (!server.isRunning()) {
            throw cannotListen(); // taken between the probe and the bind
        }
        return server;
    }

    /**
     * Binds the address once and lets it go, so a taken port ends the start with our message alone: Helidon
     * logs its own failure to bind at ERROR with a stack trace, which an operator would read first.
     */
    private void requireFreeAddress() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as Helidon binds: the closed probe holds nothing
            probe.bind(new InetSocketAddress(config.host(), config.port()));
        } catch (IOException | RuntimeException e) { // an unresolvable host too
            throw cannotListen();
        }
    }

    private ConfigException cannotListen() {
        return new ConfigException("cannot listen on " + config.host() + ":" + config.port() + " (the address is in use, "
                + "or not one of this machine's): stop what uses it, or set CHATAI_PORT or CHATAI_HOST to another");
    }
}
