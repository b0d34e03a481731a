package io.chatai.web;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id, kept from the caller's {@code X-Request-Id} when it is a sane token,
 * and echoes it on the response so a log line and a client report can be matched. Thread-safe.
 */
public final class RequestIds {
    public static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private RequestIds() {
    }

    /** The id carried by the request's context, set by the filter. */
    public record RequestId(String value) {
    }

    public static void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String id = req.headers().first(HEADER).filter(RequestIds::isValid).orElseGet(RequestIds::generate);
        req.context().register(new RequestId(id));
        res.header(HEADER, id);
        chain.proceed();
    }

    /** Whether a caller's own id is a sane token worth keeping. */
    static boolean isValid(String id) {
        return VALID.matcher(id).matches();
    }

    /** The request's id, or "-" outside a request. */
    public static String of(ServerRequest req) {
        return req.context().get(RequestId.class).map(RequestId::value).orElse("-");
    }

    static String generate() {
        char[] id = new char[20];
        for (int i = 0; i < id.length; i++) {
            // Request ids only need to be distinct, not secret: no cryptographic generator needed.
            id[i] = ALPHABET[ThreadLocalRandom.current().nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
