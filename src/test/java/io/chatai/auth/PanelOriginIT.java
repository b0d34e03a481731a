package io.chatai.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.Api;
import io.chatai.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Changes made with the panel's session cookie only from the panel's own page: the headers a browser
 * sends from a sibling origin (another port of the same host, which SameSite=Strict lets the cookie
 * reach), from a plain form, or from no page at all are refused with 403, while the panel's own
 * requests, Bearer keys and the login itself work as before.
 */
class PanelOriginIT {
    static final String KEY_BODY = "{\"name\":\"csrf-probe\"}";
    static TestServer server;
    static Api anonymous;
    static String cookie;
    static String ownOrigin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        anonymous = server.as(null);
        ownOrigin = server.baseUrl(); // http://127.0.0.1:<port>, what the browser sends from the panel
        cookie = login();
    }

    /** Opens a session from a foreign page: login needs no origin, there is no cookie yet. */
    private static String login() {
        Api.Response login = anonymous.send(anonymous.request("/api/auth/login").header("Origin", "http://127.0.0.1:1")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + TestServer.ADMIN_KEY + "\"}")));
        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.header("Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** POST /api/keys with the session cookie, the given headers and body type. */
    private static Api.Response createKey(Api client, Map<String, String> headers, String contentType) {
        HttpRequest.Builder request = client.request("/api/keys").header("Cookie", cookie).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(KEY_BODY));
        headers.forEach(request::header);
        return client.send(request);
    }

    private static void assertRefused(Api.Response response) {
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(response.json().path("success").asBoolean()).isFalse();
    }

    @Test
    void should_refuse_a_change_from_a_sibling_origin_on_another_port() {
        assertRefused(createKey(anonymous, Map.of("Origin", "http://127.0.0.1:8081"), "application/json"));
        assertRefused(createKey(anonymous, Map.of("Origin", "http://127.0.0.1:8081", "Sec-Fetch-Site", "same-site"), "application/json"));
    }

    @Test
    void should_refuse_a_change_without_origin_or_fetch_metadata() {
        assertRefused(createKey(anonymous, Map.of(), "application/json"));
        assertRefused(createKey(anonymous, Map.of("Origin", "null"), "application/json"));
    }

    @Test
    void should_refuse_a_form_body_even_from_the_own_origin() {
        assertRefused(createKey(anonymous, Map.of("Origin", ownOrigin), "application/x-www-form-urlencoded"));
        assertRefused(createKey(anonymous, Map.of("Sec-Fetch-Site", "same-origin"), "text/plain"));
    }

    @Test
    void should_accept_the_panels_own_requests() {
        assertThat(createKey(anonymous, Map.of("Origin", ownOrigin), "application/json").status()).isEqualTo(201);
        assertThat(createKey(anonymous, Map.of("Sec-Fetch-Site", "same-origin"), "application/json; charset=utf-8").status())
                .isEqualTo(201);
        // Chromium's headers for the panel's own fetch(): both at once.
        Api.Response created = createKey(anonymous, Map.of("Origin", ownOrigin, "Sec-Fetch-Site", "same-origin"), "application/json");
        assertThat(created.status()).isEqualTo(201);
        // A DELETE has no body, so no Content-Type is needed.
        Api.Response revoked = anonymous.send(anonymous.request("/api/keys/" + created.data().path("id").asText())
                .header("Cookie", cookie).header("Origin", ownOrigin).DELETE());
        assertThat(revoked.status()).isEqualTo(200);
    }

    @Test
    void should_accept_the_panels_origin_as_a_reverse_proxy_forwards_it() {
        Map<String, String> proxied = Map.of("Origin", "https://chat.example.com",
                "X-Forwarded-Host", "chat.example.com", "X-Forwarded-Proto", "https");

        assertThat(createKey(anonymous, proxied, "application/json").status()).isEqualTo(201);
        assertRefused(createKey(anonymous, Map.of("Origin", "https://chat.example.com:8443",
                "X-Forwarded-Host", "chat.example.com", "X-Forwarded-Proto", "https"), "application/json"));
    }

    @Test
    void should_let_reads_with_the_cookie_pass_without_an_origin() {
        Api.Response keys = anonymous.send(anonymous.request("/api/keys").header("Cookie", cookie).GET());
        assertThat(keys.status()).isEqualTo(200);
    }

    @Test
    void should_leave_bearer_requests_alone_whatever_their_origin() {
        Api admin = server.admin();
        HttpRequest.Builder request = admin.request("/api/keys").header("Origin", "http://127.0.0.1:8081")
                .header("Sec-Fetch-Site", "cross-site").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(KEY_BODY));
        assertThat(admin.send(request).status()).isEqualTo(201);
        assertThat(createKey(server.admin(), Map.of(), "application/json").status()).as("Bearer and cookie: Bearer decides")
                .isEqualTo(201);
    }

    @Test
    void should_not_let_another_page_end_the_session() {
        String own = login(); // its own session: the other tests keep theirs even when this one fails
        Api.Response logout = anonymous.send(anonymous.request("/api/auth/logout").header("Cookie", own)
                .header("Origin", "http://127.0.0.1:8081").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertRefused(logout);
        assertThat(logout.header("Set-Cookie")).isNull();
        assertThat(anonymous.send(anonymous.request("/api/keys").header("Cookie", own).GET()).status()).isEqualTo(200);
    }
}
