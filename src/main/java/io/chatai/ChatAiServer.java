package io.chatai;

import io.chatai.observe.Metrics;
import io.chatai.store.Database;
import io.chatai.usage.UsageWriter;
import io.chatai.web.SlowRequestGuard;
import io.helidon.webserver.WebServer;

/**
 * A running server and what it owns; closing it stops accepting, then releases the database.
 *
 * @param adminKey the admin key in effect (tests use it; it is never logged)
 */
public record ChatAiServer(WebServer webServer, Database database, SlowRequestGuard guard, UsageWriter usage,
                           Metrics metrics, String adminKey) implements AutoCloseable {

    public int port() {
        return webServer.port();
    }

    @Override
    public void close() {
        webServer.stop();
        guard.close();
        usage.close();
        database.close();
        metrics.close();
    }
}
