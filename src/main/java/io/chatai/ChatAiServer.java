package io.chatai;

import io.chatai.store.Database;
import io.helidon.webserver.WebServer;

/**
 * A running server and what it owns; closing it stops accepting, then frees the local models and
 * releases the database.
 *
 * @param adminKey    the admin key in effect (tests use it; it is never logged)
 * @param localModels the models loaded in-process for {@code local} channels
 */
public record ChatAiServer(WebServer webServer, Database database, String adminKey, AutoCloseable localModels)
        implements AutoCloseable {

    public ChatAiServer(WebServer webServer, Database database, String adminKey) {
        this(webServer, database, adminKey, () -> { });
    }

    public int port() {
        return webServer.port();
    }

    @Override
    public void close() {
        webServer.stop();
        try {
            localModels.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the local models failed", e);
        } finally {
            database.close();
        }
    }
}
