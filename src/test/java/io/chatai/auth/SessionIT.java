package io.chatai.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.Api;
import io.chatai.testing.MutableClock;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The web panel's session: admin key in, signed expiring HttpOnly SameSite=Strict cookie out. */
class SessionIT {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withClock(clock);
    static final Api anonymous = server.as(null);

    private static String login() {
        Api.Response login = anonymous.post("/api/auth/login", Map.of("key", TestServer.ADMIN_KEY));
        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.header("Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static Api.Response withCookie(String cookie, String path) {
        return anonymous.send(anonymous.request(path).header("Cookie", cookie).GET());
    }

    @Test
    void should_open_a_session_with_a_hardened_cookie() {
        Api.Response login = anonymous.post("/api/auth/login", Map.of("key", TestServer.ADMIN_KEY));

        String setCookie = login.header("Set-Cookie");
        assertThat(setCookie).startsWith("chatai_session=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").contains("Max-Age=43200");
        assertThat(setCookie).doesNotContain(TestServer.ADMIN_KEY);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(withCookie(cookie, "/api/channels").status()).isEqualTo(200);
        assertThat(withCookie(cookie, "/api/keys").status()).isEqualTo(200);
    }

    @Test
    void should_refuse_a_tampered_cookie() {
        String cookie = login();
        String value = cookie.substring(cookie.indexOf('=') + 1);
        String[] parts = value.split("\\.");
        String longer = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400_000) + "." + parts[2];
        String forged = "chatai_session=" + parts[0] + "." + parts[1] + "." + "A".repeat(parts[2].length());

        assertThat(withCookie("chatai_session=" + longer, "/api/presets").status()).isEqualTo(401);
        assertThat(withCookie(forged, "/api/presets").status()).isEqualTo(401);
        assertThat(withCookie("chatai_session=garbage", "/api/presets").status()).isEqualTo(401);
    }

    @Test
    void should_end_the_session_on_logout() {
        String cookie = login();
        Api.Response logout = anonymous.send(anonymous.request("/api/auth/logout").header("Cookie", cookie)
                .header("Origin", server.baseUrl()).POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.header("Set-Cookie")).contains("Max-Age=0");
        assertThat(withCookie(cookie, "/api/presets").status()).isEqualTo(401);
    }

    @Test
    void should_expire_the_session() {
        String cookie = login();
        clock.advance(Duration.ofHours(12).plusSeconds(1));
        try {
            Api.Response expired = withCookie(cookie, "/api/presets");
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.json().path("code").asText()).isEqualTo("UNAUTHORIZED");
        } finally {
            clock.advance(Duration.ofHours(-13));
        }
    }

    @Test
    void should_open_sessions_only_for_the_admin_key() {
        String clientKey = server.createKey("bot", null, null);

        assertThat(anonymous.post("/api/auth/login", Map.of("key", clientKey)).status()).isEqualTo(403);
        Api.Response wrong = anonymous.post("/api/auth/login", Map.of("key", "sk-guess"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("Set-Cookie")).isNull();
        assertThat(anonymous.post("/api/auth/login", Map.of()).status()).isEqualTo(400);
    }
}
