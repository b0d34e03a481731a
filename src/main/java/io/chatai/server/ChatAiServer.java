package io.chatai.server;

import io.helidon.webserver.WebServer;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * A running server and what it owns. Closing it stops accepting connections, lets running requests
 * finish within the grace period, then closes the rest in order (usage flushed before the database goes).
 *
 * @param resources   closed in this order after the web server stops
 * @param usage       the usage writer (tests flush it)
 * @param localModels the models loaded in-process for {@code local} channels (also among the resources)
 * @param adminKey    the admin key in effect (tests use it; it is never logged)
 * @param tools       runs the tool servers' tools (the turn's tool loop uses it; tests call it directly)
 */
public record ChatAiServer(WebServer webServer, List<AutoCloseable> resources, io.chatai.usage.UsageWriter usage,
                           io.chatai.provider.llama.LlamaModels localModels, String adminKey,
                           io.chatai.tool.ToolExecutor tools) implements AutoCloseable {

    public int port() {
        return webServer.port();
    }

    @Override
    public void close() {
        webServer.stop();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(ChatAiServer.class).warn("Could not close {} cleanly", resource, e);
            }
        }
    }
}
