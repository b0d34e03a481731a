package io.chatai.provider;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.helidon.common.uri.UriInfo;
import io.helidon.common.uri.UriPath;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientUri;
import io.helidon.webclient.api.ConnectedSocketChannelInfo;
import io.helidon.webclient.api.ConnectedSocketInfo;
import io.helidon.webclient.api.ConnectionListener;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.common.socket.SocketOptions;
import io.helidon.common.buffers.DataReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The HTTP transport every HTTP provider shares: keep-alive connection pools, the channel's timeout on
 * each wait for the upstream (sending, the first byte, each gap) and its {@code totalTimeoutMs} on the
 * whole call, both kept by a {@link CallDeadline} (one timer thread for all calls), its proxy and extra headers, and non-2xx
 * statuses turned into {@link UpstreamException}s. No retries, no redirects. Thread-safe; close it at
 * shutdown to stop the timer.
 */
public final class UpstreamHttp implements AutoCloseable {
    /** Error bodies are only read for their message. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Idle connections kept per upstream host: covers a thousand calls in flight to one host (past it, every
     * call beyond paid a TCP connect and left a socket in TIME_WAIT); each idle connection costs ~10 KB.
     */
    private static final int MAX_IDLE_CONNECTIONS_PER_HOST = 1024;

    /** Channels' URLs are few; past this many distinct ones (a misuse) the least used are dropped. */
    private static final int MAX_CACHED_URLS = 1024;

    /** One per timeout (its connect timeout, and the read timeout of a TLS handshake), each with its connections. */
    private record Client(Http1Client http, UpstreamConnections connections) {
    }

    private final ConcurrentMap<Duration, Client> clients = new ConcurrentHashMap<>();
    /** Parsed outside the cache's lock: parsing one URL twice at once costs only time. */
    private final Cache<String, UriInfo> parsedUrls = Caffeine.newBuilder()
            .executor(Runnable::run) // upkeep on the caller: no pool thread woken on the request path
            .maximumSize(MAX_CACHED_URLS)
            .expireAfterAccess(Duration.ofHours(1))
            .build();
    /** Fires the deadlines; its only work is to interrupt a thread, so one thread serves every call. */
    private final DeadlineTimer deadlines = new DeadlineTimer("upstream-deadlines");

    /**
     * POSTs a JSON body and returns the open 2xx response, which the caller must close. Any other status,
     * or a transport failure, is thrown as an {@link UpstreamException}.
     */
    public UpstreamResponse postJson(Upstream upstream, String url, Map<String, String> headers, byte[] body, boolean stream) {
        Client client = client(upstream.timeout());
        ClientUri uri = target(url);
        Proxy proxy = proxy(upstream.proxy());
        Http1ClientRequest request = client.http().post()
                .uri(uri)
                // On a virtual thread the call's deadline bounds every read (its interrupt aborts it), so the socket
                // needs no timeout of its own, and a timed read would cost each wait a JDK timer wake-up. On a
                // platform thread, which an interrupt cannot unblock, the socket's timeout is the only bound.
                .readTimeout(Thread.currentThread().isVirtual() ? Duration.ZERO : upstream.timeout())
                .followRedirects(false)
                .proxy(proxy);
        request.header(HeaderNames.CONTENT_TYPE, "application/json");
        request.header(HeaderNames.ACCEPT, stream ? "text/event-stream" : "application/json");
        headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
        upstream.headers().forEach((name, value) -> request.header(HeaderNames.create(name), value));
        // Armed only now: a request that failed to build must leave no deadline behind to interrupt the thread later.
        CallDeadline deadline = CallDeadline.start(deadlines, upstream.timeout(), upstream.totalTimeout());
        HttpClientResponse response;
        deadline.waiting(); // connect, send the request, wait for the status line and headers
        try {
            response = submit(client.connections(), request, uri, proxy, body, deadline);
        } catch (RuntimeException e) {
            deadline.close();
            throw deadline.expired() ? deadline.exceeded() : new UpstreamException(UpstreamFailures.fromTransport(e, false), e);
        } finally {
            deadline.progressed();
        }
        deadline.responseStarted();
        int status = response.status().code();
        if (status / 100 == 2) {
            return new UpstreamResponse(response, deadline);
        }
        try (deadline; response) {
            String errorBody = readErrorBody(response, deadline);
            if (deadline.expired()) {
                throw deadline.exceeded();
            }
            String retryAfter = response.headers().first(HeaderNames.RETRY_AFTER).orElse(null);
            throw new UpstreamException(UpstreamFailures.fromStatus(status, errorBody, retryAfter, upstream.secrets()));
        }
    }

    /**
     * Sends the request on a pooled connection. When a reused one turns out closed (the end of the stream or a
     * reset before any answer: the upstream ended its keep-alive while the connection was idle, sooner than
     * {@link UpstreamConnections#PROBE_AFTER}), the request is sent once more on a new connection.
     */
    private static HttpClientResponse submit(UpstreamConnections connections, Http1ClientRequest request, ClientUri uri,
                                             Proxy proxy, byte[] body, CallDeadline deadline) {
        UpstreamConnections.Lease lease = connections.take(uri, proxy);
        try {
            return request.connection(lease.connection()).submit(body);
        } catch (RuntimeException e) {
            lease.connection().closeResource(); // Helidon closes it itself only when the status line could not be read
            if (!lease.reused() || deadline.expired() || !closedByUpstream(e)) {
                throw e;
            }
        }
        TcpClientConnection fresh = connections.connect(uri, proxy);
        try {
            return request.connection(fresh).submit(body);
        } catch (RuntimeException e) {
            fresh.closeResource();
            throw e;
        }
    }

    /** The connection ended under the call (end of stream, reset, broken pipe), not a timeout or an interrupt. */
    private static boolean closedByUpstream(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException || t instanceof ClosedByInterruptException) {
                return false; // SocketTimeoutException included
            }
            if (t instanceof DataReader.InsufficientDataAvailableException || t instanceof SocketException || t instanceof EOFException) {
                return !Thread.currentThread().isInterrupted();
            }
        }
        return false;
    }

    /**
     * The start of an error body, for its message: a longer one is cut (an error's message comes first),
     * and one that breaks off is read as far as it came.
     */
    private static String readErrorBody(HttpClientResponse response, CallDeadline deadline) {
        try (InputStream in = new UpstreamResponse.Body(response.inputStream(), deadline)) {
            return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null; // the status alone still classifies the failure
        }
    }

    /**
     * The URL exactly as the adapter encoded it. Helidon's string and {@code URI} forms decode the path
     * and encode it again, which turns an escaped {@code /} in a model name back into a separator.
     */
    private ClientUri target(String url) {
        UriInfo info = parsedUrls.getIfPresent(url);
        if (info == null) {
            info = parse(url);
            parsedUrls.put(url, info);
        }
        return ClientUri.create(info); // a ClientUri is mutable: a fresh one per request
    }

    private static UriInfo parse(String url) {
        URI uri = URI.create(url);
        UriInfo.Builder info = UriInfo.builder()
                .scheme(uri.getScheme())
                .host(uri.getHost())
                .path(UriPath.create(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()));
        if (uri.getPort() != -1) {
            info.port(uri.getPort());
        }
        if (uri.getRawQuery() != null) {
            info.query(UriQuery.create(uri.getRawQuery()));
        }
        return info.build();
    }

    /**
     * Speaks HTTP/1.1 without asking: the client has no HTTP/2, and protocol discovery per request cost
     * ~2.5 % of a turn's CPU in the profile.
     */
    private Client client(Duration timeout) {
        return clients.computeIfAbsent(timeout, UpstreamHttp::newClient);
    }

    private static Client newClient(Duration timeout) {
        Duration connect = timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
        WebClient web = WebClient.builder()
                // Nagle's algorithm would hold a small request back for the previous one's ACK.
                .socketOptions(SocketOptions.builder().tcpNoDelay(true).connectTimeout(connect).build())
                // The TLS handshake runs before a request's own read timeout applies, and Helidon sets none on
                // the socket: a peer that never answered the ClientHello held the call forever.
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void socketConnected(ConnectedSocketInfo info) throws IOException {
                        info.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                    }

                    @Override
                    public void socketChannelConnected(ConnectedSocketChannelInfo info) {
                        // the blocking client uses sockets, not channels
                    }
                })
                .connectTimeout(connect)
                .followRedirects(false)
                .sendExpectContinue(false)
                .keepAlive(true)
                .build();
        // Each request names its connection from our pool, so Helidon's own pool (and its idle monitor) is never used.
        return new Client(web.client(Http1Client.PROTOCOL), new UpstreamConnections(web, MAX_IDLE_CONNECTIONS_PER_HOST));
    }

    @Override
    public void close() {
        deadlines.close();
        clients.values().forEach(client -> client.connections().close());
    }

    private static Proxy proxy(String proxy) {
        if (proxy == null) {
            return Proxy.noProxy();
        }
        URI uri = URI.create(proxy);
        return Proxy.builder()
                .type(Proxy.ProxyType.HTTP)
                .host(uri.getHost())
                .port(uri.getPort() < 0 ? 80 : uri.getPort())
                .build();
    }
}
