package io.chatai.web;

import io.chatai.core.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Header;
import io.helidon.webserver.http.ServerResponse;

/** Writes the contract's success envelopes. Stateless. */
public final class Responses {
    static final Header JSON = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");

    private Responses() {
    }

    /** {@code {"success": true, "data": data}} with status 200. */
    public static void ok(ServerResponse res, Object data) {
        send(res, 200, new Success(true, data));
    }

    /** {@code {"success": true, "data": data}} with status 201. */
    public static void created(ServerResponse res, Object data) {
        send(res, 201, new Success(true, data));
    }

    /** Any JSON body with the given status. */
    public static void send(ServerResponse res, int status, Object body) {
        res.status(status);
        res.header(JSON);
        res.send(Json.write(body));
    }

    /** A JSON body already written (e.g. an upstream's answer relayed), with status 200. */
    public static void sendJson(ServerResponse res, String json) {
        res.status(200);
        res.header(JSON);
        res.send(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The envelope; {@code data} is serialised as given. */
    public record Success(boolean success, Object data) {
    }
}
