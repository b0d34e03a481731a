package io.chatai.web;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.core.JsonBody;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.DirectTransportRequest;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/** Reads what handlers need from a request: the JSON body, path ids, query parameters, all validated. */
public final class Requests {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private Requests() {
    }

    /** The body as a JSON object; the listener has already refused bodies over the configured size. */
    public static JsonBody json(ServerRequest req) {
        return JsonBody.parse(bytes(req));
    }

    /** A JSON object body and its text exactly as sent, for a route that passes the body on unchanged. */
    public record JsonText(String text, JsonBody body) {
    }

    public static JsonText jsonText(ServerRequest req) {
        String text = Json.strictUtf8(bytes(req));
        return new JsonText(text, new JsonBody(Json.parseObject(text)));
    }

    /** The body as any JSON value, for a route that takes an array; {@code expected} names what it takes. */
    public static JsonNode jsonValue(ServerRequest req, String expected) {
        return Json.parse(bytes(req), expected);
    }

    private static byte[] bytes(ServerRequest req) {
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RequestException | HttpException refusal) {
            throw refusal; // Helidon's own refusals (a body over the limit) answer themselves
        } catch (RuntimeException malformed) {
            throw malformedBody(req, malformed);
        }
        req.context().get(SlowRequestGuard.class).ifPresent(guard -> guard.bodyRead(req));
        return body;
    }

    /**
     * A body whose framing broke while it was read. Helidon 4.5 lets a chunk size that is not hexadecimal
     * escape as a NumberFormatException (Http1Connection.readNextChunk calls ParserHelper.parseNonNegative,
     * which only checks the sign), which would be answered 500 and logged as a bug. As a transport
     * refusal it is a 400, and the connection is closed: after broken framing the next bytes mean nothing.
     */
    private static RequestException malformedBody(ServerRequest req, RuntimeException cause) {
        req.context().register(BrokenFraming.INSTANCE);
        return RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .status(Status.BAD_REQUEST_400)
                .request(DirectTransportRequest.create(req.prologue(), req.headers()))
                .setKeepAlive(false)
                .header(HeaderValues.create(RequestIds.HEADER, RequestIds.of(req))) // the id the access log shows
                .message(cause instanceof NumberFormatException
                        ? "Invalid chunk size in the request body" : "The request body ended early or is malformed")
                .build();
    }

    /** Marks a request whose body framing broke while it was read. */
    private enum BrokenFraming { INSTANCE }

    /**
     * Filter closing the connection once a request with broken body framing has been answered. Helidon
     * sends {@code Connection: close} for it but then reads on, parsing the unread rest of the body as the
     * next request; RFC 9112 (section 6.3) wants the connection closed instead.
     */
    public static void closeAfterBrokenFraming(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.whenSent(() -> {
            if (req.context().get(BrokenFraming.class).isPresent()) {
                throw new CloseConnectionException("The request body's framing is broken; closing the connection");
            }
        });
        chain.proceed();
    }

    /** A path parameter that must look like an id; anything else cannot exist, so it is a 404. */
    public static String pathId(ServerRequest req, String name, ErrorCode notFound) {
        String value = req.path().pathParameters().get(name);
        if (!ID.matcher(value).matches()) {
            throw new ApiException(notFound, "No such " + name + ": ids are 1-128 characters of A-Z, a-z, 0-9, '_' and '-'");
        }
        return value;
    }

    /** An optional whole-number query parameter within [min, max]; bad values are 400. */
    public static int intQuery(ServerRequest req, String name, int fallback, int min, int max) {
        var values = req.query().all(name, java.util.List::of);
        if (values.isEmpty()) {
            return fallback;
        }
        String value = values.getFirst();
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.invalid(name + " must be a whole number from " + min + " to " + max);
    }

    /** An optional text query parameter of 1..max characters, or null when absent. */
    public static String textQuery(ServerRequest req, String name, int max) {
        var values = req.query().all(name, java.util.List::of);
        if (values.isEmpty()) {
            return null;
        }
        return JsonBody.checkText(name, values.getFirst(), 1, max);
    }
}
