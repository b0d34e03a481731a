package io.chatai.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.Api;
import io.chatai.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CORS is off unless CHATAI_CORS_ORIGINS lists origins, and never allows credentials. */
class CorsIT {

    private static Api.Response preflight(Api api, String origin) {
        return api.send(api.request("/api/chat").header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void should_send_no_cors_headers_by_default() {
        try (TestServer server = TestServer.start()) {
            Api api = server.admin();
            assertThat(preflight(api, "https://evil.example").header("Access-Control-Allow-Origin")).isNull();
            Api.Response get = api.send(api.request("/api/presets").header("Origin", "https://evil.example").GET());
            assertThat(get.header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @Test
    void should_allow_only_the_configured_origins() {
        try (TestServer server = TestServer.start(Map.of("CHATAI_CORS_ORIGINS", "https://panel.example.com"))) {
            Api api = server.admin();
            Api.Response allowed = preflight(api, "https://panel.example.com");
            assertThat(allowed.status()).isEqualTo(204);
            assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://panel.example.com");
            assertThat(allowed.header("Access-Control-Allow-Headers")).contains("Authorization");
            assertThat(allowed.header("Access-Control-Allow-Credentials")).isNull();

            assertThat(preflight(api, "https://evil.example").header("Access-Control-Allow-Origin")).isNull();
            Api.Response get = api.send(api.request("/api/presets").header("Origin", "https://panel.example.com").GET());
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo("https://panel.example.com");
        }
    }
}
