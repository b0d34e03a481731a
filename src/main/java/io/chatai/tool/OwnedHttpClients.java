package io.chatai.tool;

import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP clients one session's transports build, so that ending the session closes them at once: the SDK builds
 * its client from a builder it is given and never closes it, which would leave each client's selector thread (and
 * its connections) to the garbage collector, one set per reconnect of a server that keeps failing. Every client runs
 * its work on virtual threads. Thread-safe.
 */
final class OwnedHttpClients implements AutoCloseable {
    private static final ExecutorService VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

    private final List<HttpClient> clients = new ArrayList<>(); // guarded by this

    /** A builder whose clients this owns: HTTP/1.1, no redirects followed, virtual threads. */
    HttpClient.Builder builder() {
        return new Builder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).executor(VIRTUAL));
    }

    private synchronized void add(HttpClient client) {
        clients.add(client);
    }

    /** Closes every client built so far, ending their connections without waiting for exchanges in progress. */
    @Override
    public synchronized void close() {
        clients.forEach(HttpClient::shutdownNow);
        clients.clear();
    }

    /** Delegates to the JDK's builder and keeps what it builds. */
    private final class Builder implements HttpClient.Builder {
        private final HttpClient.Builder delegate;

        Builder(HttpClient.Builder delegate) {
            this.delegate = delegate;
        }

        @Override
        public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
            delegate.cookieHandler(cookieHandler);
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration duration) {
            delegate.connectTimeout(duration);
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext sslContext) {
            delegate.sslContext(sslContext);
            return this;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
            delegate.sslParameters(sslParameters);
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor executor) {
            delegate.executor(executor);
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(HttpClient.Redirect policy) {
            delegate.followRedirects(policy);
            return this;
        }

        @Override
        public HttpClient.Builder version(HttpClient.Version version) {
            delegate.version(version);
            return this;
        }

        @Override
        public HttpClient.Builder priority(int priority) {
            delegate.priority(priority);
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector proxySelector) {
            delegate.proxy(proxySelector);
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator authenticator) {
            delegate.authenticator(authenticator);
            return this;
        }

        @Override
        public HttpClient.Builder localAddress(InetAddress localAddr) {
            delegate.localAddress(localAddr);
            return this;
        }

        @Override
        public HttpClient build() {
            HttpClient client = delegate.build();
            add(client);
            return client;
        }
    }
}
