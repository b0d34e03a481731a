package io.chatai.web;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.JsonBody;
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
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        req.context().get(SlowRequestGuard.class).ifPresent(guard -> guard.bodyRead(req));
        return JsonBody.parse(body);
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
