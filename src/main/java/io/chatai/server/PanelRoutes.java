package io.chatai.server;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web panel's static files from the jar's {@code panel/} folder: {@code /} is its page and
 * {@code /panel/...} its scripts, styles and images (GET and HEAD), each with a strict Content-Security-Policy
 * (no inline script, nothing from another origin), an ETag and {@code Cache-Control: no-cache}. Only these two
 * routes are claimed, so every other path (the API, {@code /v1}, {@code /health}) is untouched and an unknown
 * one still answers the JSON 404 envelope. Files need no key: the API calls they make do. Thread-safe: a file
 * is read once and kept as immutable bytes.
 */
public final class PanelRoutes implements HttpService {
    /** Where the files live on the class path. */
    static final String ROOT = "panel/";
    /**
     * Everything from this origin only, no inline script or style, no plugins, no framing, no base-URI
     * tricks. {@code data:} images cover the SVG icons CSS embeds.
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
            "connect-src 'self'", "manifest-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'");
    /** Lower case segments of letters, digits, '.', '_' and '-', never starting with a dot: no way out of the folder. */
    private static final Pattern SAFE_PATH = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}(/[a-z0-9][a-z0-9._-]{0,99}){0,5}");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json",
            "woff2", "font/woff2");
    private static final List<Header> SECURITY_HEADERS = List.of(
            HeaderValues.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            HeaderValues.create("X-Content-Type-Options", "nosniff"),
            HeaderValues.create("X-Frame-Options", "DENY"),
            HeaderValues.create("Referrer-Policy", "no-referrer"),
            HeaderValues.create("Cross-Origin-Opener-Policy", "same-origin"),
            HeaderValues.create("Cross-Origin-Resource-Policy", "same-origin"),
            HeaderValues.create("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
            // Revalidate every time: files keep their names across releases, and a 304 costs one round trip.
            HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-cache"));

    private final ClassLoader loader;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    public PanelRoutes() {
        this(PanelRoutes.class.getClassLoader());
    }

    PanelRoutes(ClassLoader loader) {
        this.loader = loader;
    }

    /** One file: its bytes, content type and entity tag. */
    private record Asset(byte[] bytes, String contentType, String etag) {
    }

    @Override
    public void routing(HttpRules rules) {
        // HEAD as well: uptime monitors and link checkers ask with it.
        rules.route(Method.GET, "/", (req, res) -> serve(req, res, "index.html"))
                .route(Method.HEAD, "/", (req, res) -> serve(req, res, "index.html"))
                .route(Method.GET, "/panel/*", (req, res) -> serve(req, res, panelPath(req)))
                .route(Method.HEAD, "/panel/*", (req, res) -> serve(req, res, panelPath(req)));
    }

    private static String panelPath(ServerRequest req) {
        return req.prologue().uriPath().path().substring("/panel/".length());
    }

    private void serve(ServerRequest req, ServerResponse res, String path) {
        Asset asset = find(path);
        if (asset == null) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No route for " + req.prologue().method().text() + " " + req.prologue().uriPath().path());
        }
        SECURITY_HEADERS.forEach(res::header);
        res.header(HeaderNames.ETAG, asset.etag());
        boolean fresh = req.headers().first(HeaderNames.IF_NONE_MATCH)
                .map(tags -> List.of(tags.split("\\s*,\\s*")).contains(asset.etag()))
                .orElse(false);
        if (fresh) {
            res.status(304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, asset.contentType());
        if (req.prologue().method() == Method.HEAD) {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(asset.bytes().length));
            res.send();
            return;
        }
        res.send(asset.bytes());
    }

    /** The file at this path under {@code panel/}, or null when the path is unsafe, of an unknown kind, or absent. */
    private Asset find(String path) {
        if (!SAFE_PATH.matcher(path).matches() || path.contains("..")) {
            return null;
        }
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return null; // no extension: a folder, whose "contents" a class loader would list
        }
        String type = CONTENT_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return null;
        }
        Asset cached = cache.get(path);
        if (cached != null) {
            return cached;
        }
        // Misses are not cached, so random paths cannot grow the map; hits are bounded by the files in the jar.
        try (InputStream in = loader.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            Asset asset = new Asset(bytes, type, "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 12) + "\"");
            cache.putIfAbsent(path, asset);
            return asset;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read panel file " + path, e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
