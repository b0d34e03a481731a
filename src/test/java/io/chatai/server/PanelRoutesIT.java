package io.chatai.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.Api;
import io.chatai.testing.TestServerExtension;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The panel's files come from the jar with strict security headers, and never shadow the API's JSON answers. */
class PanelRoutesIT {
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults();
    static final Api anonymous = server.as(null);

    @Test
    void should_serve_the_page_at_the_root_without_a_key_and_with_strict_headers() {
        Api.Response page = anonymous.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>ChatAI Server</title>").contains("src=\"/panel/js/app.js\"");
        assertThat(page.header("Content-Security-Policy"))
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'",
                        "base-uri 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.header("ETag")).matches("\"[0-9a-f]{24}\"");
    }

    @Test
    void should_serve_scripts_styles_and_images_with_their_types() {
        assertThat(anonymous.get("/panel/js/app.js").header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(anonymous.get("/panel/js/pages/chat.js").status()).isEqualTo(200);
        assertThat(anonymous.get("/panel/css/panel.css").header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(anonymous.get("/panel/favicon.svg").header("Content-Type")).isEqualTo("image/svg+xml");
        assertThat(anonymous.get("/panel/js/app.js").header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void should_answer_304_when_the_browser_has_the_file() {
        String etag = anonymous.get("/panel/css/panel.css").header("ETag");

        Api.Response again = anonymous.send(anonymous.request("/panel/css/panel.css").header("If-None-Match", etag).GET());

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(etag);
    }

    @Test
    void should_answer_head_with_the_headers_alone() {
        for (int i = 0; i < 3; i++) { // and leave the kept-alive connection usable
            Api.Response head = anonymous.send(anonymous.request("/").method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(anonymous.get("/").body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
            assertThat(head.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        }
        assertThat(anonymous.send(anonymous.request("/panel/nope.js").method("HEAD", HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(404);
    }

    @Test
    void should_answer_unknown_or_unsafe_panel_paths_with_the_json_404() {
        for (String path : new String[] {"/panel/nope.js", "/panel/../pom.xml", "/panel/%2e%2e/logback.xml", "/panel/js/../../logback.xml",
                "/panel/..%2flogback.xml", "/panel/.hidden.js", "/panel/js", "/panel/", "/panel/index.HTML", "/panel/db/migration/sqlite/V1__conversations_presets_channels.sql",
                "/index.html", "/logback.xml", "/favicon.ico"}) {
            Api.Response response = anonymous.get(path);
            assertThat(response.status()).as(path).isIn(400, 404);
            assertThat(response.header("Content-Type")).as(path).isEqualTo("application/json");
            assertThat(response.body()).as(path).doesNotContain("<html", "<configuration", "CREATE TABLE");
        }
    }

    @Test
    void should_leave_the_api_and_service_routes_as_they_were() {
        Api.Response unknownApi = server.admin().get("/api/no-such-route");
        assertThat(unknownApi.status()).isEqualTo(404);
        assertThat(unknownApi.json().path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(unknownApi.header("Content-Type")).isEqualTo("application/json");
        assertThat(anonymous.get("/api/no-such-route").json().path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(anonymous.get("/api").header("Content-Type")).isEqualTo("application/json");
        assertThat(server.admin().get("/v1/no-such-route").json().path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(anonymous.get("/health").json().path("status").asText()).isEqualTo("UP");
        assertThat(anonymous.get("/ready").status()).isEqualTo(200);
        assertThat(server.admin().get("/api/presets").status()).isEqualTo(200);
    }

    @Test
    void should_not_accept_other_methods_on_the_page() {
        Api.Response post = anonymous.send(anonymous.request("/").POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(post.status()).isIn(404, 405);
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
    }
}
