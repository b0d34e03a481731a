package io.chatai.web;

import io.chatai.config.Config;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the HTTP server: request ids first, then authentication, then the routes, with every failure
 * answered in the contract's envelope. Tests build the same routing, so they exercise the real thing.
 */
public final class HttpServer {
    private final Map<String, HttpService> services = new LinkedHashMap<>();
    private final List<Filter> filters;

    /** @param filters run in order after the request-id filter, before any route */
    public HttpServer(List<Filter> filters) {
        this.filters = List.copyOf(filters);
    }

    public HttpServer register(String path, HttpService service) {
        services.put(path, service);
        return this;
    }

    public HttpRouting.Builder routing() {
        HttpRouting.Builder routing = HttpRouting.builder().addFilter(RequestIds::filter);
        filters.forEach(routing::addFilter);
        services.forEach(routing::register);
        return routing.error(Throwable.class, ErrorResponses::handle);
    }

    public WebServer start(Config config) {
        DirectHandler direct = ErrorResponses.directHandler();
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, direct);
        }
        return WebServer.builder()
                .host(config.host())
                .port(config.port())
                .maxPayloadSize(config.maxBodyBytes())
                .directHandlers(handlers.build())
                .routing(routing())
                .build()
                .start();
    }
}
