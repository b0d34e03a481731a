package io.chatai.auth;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cross-site request forgery guard for the panel's session cookie: a request that the cookie alone
 * authenticates and that may change something (any method but GET, HEAD, OPTIONS) must come from the
 * panel's own page. {@code SameSite=Strict} is not enough: a page on another port of the same host is
 * the same site, and the browser sends it the cookie. Stateless.
 *
 * <p>The page's origin is the browser's {@code Sec-Fetch-Site} verdict when it sends one (every current
 * browser does, and no page can forge a {@code Sec-} header), else its {@code Origin} compared with the
 * server's own origin: the scheme and host the client used, which behind a reverse proxy are
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}. Trusting those is safe here: a page can set
 * them on a cross-origin request only after a CORS preflight, which this server never grants with
 * credentials. The body must be JSON, which a plain HTML form cannot send.
 */
final class PanelOrigin {
    private static final Set<Method> SAFE = Set.of(Method.GET, Method.HEAD, Method.OPTIONS);
    private static final HeaderName SEC_FETCH_SITE = HeaderNames.create("Sec-Fetch-Site");
    private static final Pattern JSON = Pattern.compile("application/([a-z0-9.+-]+\\+)?json", Pattern.CASE_INSENSITIVE);

    private PanelOrigin() {
    }

    /** Refuses with 403 {@code FORBIDDEN} a cookie-authenticated change that the panel's own page did not send. */
    static void require(Method method, Headers headers, boolean secure) {
        if (SAFE.contains(method)) {
            return;
        }
        String problem = problem(headers, secure);
        if (problem != null) {
            throw new ApiException(ErrorCode.FORBIDDEN,
                    "A panel session can change things only from the panel's own page: " + problem);
        }
    }

    private static String problem(Headers headers, boolean secure) {
        Optional<String> site = headers.first(SEC_FETCH_SITE).map(String::strip);
        if (site.isPresent()) {
            if (!site.get().equalsIgnoreCase("same-origin")) {
                return "the browser says the request came from a " + site.get() + " page (Sec-Fetch-Site)";
            }
        } else {
            String origin = headers.first(HeaderNames.ORIGIN).orElse(null);
            if (origin == null) {
                return "the request has neither an Origin nor a Sec-Fetch-Site header";
            }
            String own = ownOrigin(headers, secure);
            if (own.isEmpty() || !own.equals(normalize(origin))) {
                return "its Origin " + origin + " is not this server's origin " + own;
            }
        }
        boolean hasBody = headers.contains(HeaderNames.TRANSFER_ENCODING) || headers.contentLength().orElse(0L) > 0;
        String type = headers.first(HeaderNames.CONTENT_TYPE).map(value -> value.split(";", 2)[0].strip()).orElse("");
        if (hasBody && !JSON.matcher(type).matches()) {
            return "a body must be sent as application/json, not " + (type.isEmpty() ? "without a Content-Type" : type);
        }
        return null;
    }

    /** The scheme and host the client addressed, as an origin ({@code https://chat.example.com}). */
    static String ownOrigin(Headers headers, boolean secure) {
        String scheme = firstValue(headers, HeaderNames.X_FORWARDED_PROTO)
                .map(value -> value.toLowerCase(Locale.ROOT))
                .filter(value -> value.equals("http") || value.equals("https"))
                .orElse(secure ? "https" : "http");
        String host = firstValue(headers, HeaderNames.X_FORWARDED_HOST)
                .or(() -> headers.first(HeaderNames.HOST))
                .orElse("");
        return normalize(scheme + "://" + host);
    }

    /** The first entry of a header a chain of proxies may have appended to ({@code a, b}), if any. */
    private static Optional<String> firstValue(Headers headers, HeaderName name) {
        return headers.first(name).map(value -> value.split(",", 2)[0].strip()).filter(value -> !value.isEmpty());
    }

    /** {@code scheme://host[:port]} in lower case without a default port, or "" for anything else ("null"). */
    static String normalize(String origin) {
        try {
            URI uri = new URI(origin);
            boolean bare = uri.getRawUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
            if (uri.getScheme() == null || uri.getHost() == null || !bare) {
                return "";
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return "";
        }
    }
}
