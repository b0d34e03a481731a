package io.chatai.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.TestServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every validation rule of the Chat API, and the envelope for every error, against the real server. */
class ValidationIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults()
            .withEnv("CHATAI_MAX_MESSAGE_CHARS", "50").withEnv("CHATAI_MAX_BODY_BYTES", "4096").withChannelFor(upstream);
    static final Api api = server.admin();

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("not JSON at all", "hello", 400),
                Arguments.of("truncated JSON", "{\"message\": \"hi\", \"userId\": \"u\"", 400),
                Arguments.of("trailing garbage", "{\"message\": \"hi\", \"userId\": \"u\"} x", 400),
                Arguments.of("duplicate keys", "{\"message\": \"hi\", \"message\": \"again\", \"userId\": \"u\"}", 400),
                Arguments.of("an array", "[{\"message\": \"hi\", \"userId\": \"u\"}]", 400),
                Arguments.of("a string", "\"hi\"", 400),
                Arguments.of("empty body", "", 400),
                Arguments.of("message missing", "{\"userId\": \"u\"}", 400),
                Arguments.of("message null", "{\"message\": null, \"userId\": \"u\"}", 400),
                Arguments.of("message a number", "{\"message\": 42, \"userId\": \"u\"}", 400),
                Arguments.of("message an object", "{\"message\": {\"text\": \"hi\"}, \"userId\": \"u\"}", 400),
                Arguments.of("message empty", "{\"message\": \"\", \"userId\": \"u\"}", 400),
                Arguments.of("message blank", "{\"message\": \" \\n\\t \", \"userId\": \"u\"}", 400),
                Arguments.of("message with U+0000", "{\"message\": \"a\\u0000b\", \"userId\": \"u\"}", 400),
                Arguments.of("message with a lone surrogate", "{\"message\": \"a\\ud800b\", \"userId\": \"u\"}", 400),
                Arguments.of("message over the limit", "{\"message\": \"" + "x".repeat(51) + "\", \"userId\": \"u\"}", 413),
                Arguments.of("userId missing", "{\"message\": \"hi\"}", 400),
                Arguments.of("userId empty", "{\"message\": \"hi\", \"userId\": \"\"}", 400),
                Arguments.of("userId a number", "{\"message\": \"hi\", \"userId\": 123456789}", 400),
                Arguments.of("userId too long", "{\"message\": \"hi\", \"userId\": \"" + "u".repeat(65) + "\"}", 400),
                Arguments.of("groupId empty", "{\"message\": \"hi\", \"userId\": \"u\", \"groupId\": \"\"}", 400),
                Arguments.of("groupId a number", "{\"message\": \"hi\", \"userId\": \"u\", \"groupId\": 987654321}", 400),
                Arguments.of("groupId too long", "{\"message\": \"hi\", \"userId\": \"u\", \"groupId\": \"" + "g".repeat(65) + "\"}", 400),
                Arguments.of("preset a number", "{\"message\": \"hi\", \"userId\": \"u\", \"preset\": 1}", 400),
                Arguments.of("preset empty", "{\"message\": \"hi\", \"userId\": \"u\", \"preset\": \"\"}", 400),
                Arguments.of("newConversation a string", "{\"message\": \"hi\", \"userId\": \"u\", \"newConversation\": \"true\"}", 400),
                Arguments.of("conversationId a number", "{\"message\": \"hi\", \"userId\": \"u\", \"conversationId\": 5}", 400),
                Arguments.of("conversationId with newConversation", "{\"message\": \"hi\", \"userId\": \"u\", "
                        + "\"conversationId\": \"conv_aaaaaaaaaaaaaaaaaaaaaaaa\", \"newConversation\": true}", 400),
                Arguments.of("model empty", "{\"message\": \"hi\", \"userId\": \"u\", \"model\": \"\"}", 400),
                Arguments.of("model a list", "{\"message\": \"hi\", \"userId\": \"u\", \"model\": [\"a\"]}", 400),
                Arguments.of("requestId too long", "{\"message\": \"hi\", \"userId\": \"u\", \"requestId\": \"" + "r".repeat(129) + "\"}", 400),
                Arguments.of("requestId a number", "{\"message\": \"hi\", \"userId\": \"u\", \"requestId\": 7}", 400),
                Arguments.of("a 100-digit number", "{\"message\": \"hi\", \"userId\": \"u\", \"x\": " + "9".repeat(100) + "}", 400),
                Arguments.of("an invalid escape", "{\"message\": \"a\\xb\", \"userId\": \"u\"}", 400),
                Arguments.of("a raw control character", "{\"message\": \"a\u0001b\", \"userId\": \"u\"}", 400),
                Arguments.of("single quotes", "{'message': 'hi', 'userId': 'u'}", 400),
                Arguments.of("a comment", "{\"message\": \"hi\", /* sneaky */ \"userId\": \"u\"}", 400),
                Arguments.of("a trailing comma", "{\"message\": \"hi\", \"userId\": \"u\",}", 400),
                Arguments.of("NaN", "{\"message\": \"hi\", \"userId\": \"u\", \"x\": NaN}", 400),
                Arguments.of("deeply nested", "{\"message\": \"hi\", \"userId\": \"u\", \"x\": " + "[".repeat(100) + "]".repeat(100) + "}", 400),
                Arguments.of("body over the byte limit", "{\"message\": \"hi\", \"userId\": \"u\", \"pad\": \"" + "p".repeat(5000) + "\"}", 413));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void should_refuse_invalid_chat_bodies_in_the_envelope(String name, String body, int status) {
        int calls = upstream.calls();
        for (String path : new String[] {"/api/chat", "/api/chat/stream"}) {
            Api.Response response = api.postRaw(path, body);

            assertThat(response.status()).as(name + " on " + path + ": " + response.body()).isEqualTo(status);
            assertThat(response.header("Content-Type")).startsWith("application/json");
            assertThat(response.json().path("success").asBoolean()).isFalse();
            assertThat(response.json().path("code").asText()).isEqualTo(status == 413 ? "PAYLOAD_TOO_LARGE" : "INVALID_REQUEST");
            assertThat(response.json().path("error").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("at io.");
        }
        assertThat(upstream.calls()).as("no upstream call for invalid input").isEqualTo(calls);
    }

    @Test
    void should_accept_a_message_exactly_at_the_limit_counting_code_points() {
        String fifty = "😀".repeat(50); // 50 characters, 100 UTF-16 units
        Api.Response response = api.post("/api/chat", Map.of("message", fifty, "userId", "limit-" + System.nanoTime()));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void should_ignore_unknown_fields() {
        Api.Response response = api.postRaw("/api/chat", "{\"message\": \"hi\", \"userId\": \"u-unknown\", \"color\": \"blue\", \"n\": [1, 2]}");

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void should_refuse_bodies_that_are_not_utf8() {
        byte[] utf16 = "{\"message\": \"hi\", \"userId\": \"u\"}".getBytes(StandardCharsets.UTF_16LE);
        byte[] latin1 = "{\"message\": \"caf\u00e9\", \"userId\": \"u\"}".getBytes(StandardCharsets.ISO_8859_1);
        // "/" encoded in two bytes (overlong), a classic filter bypass; and a lone continuation byte
        byte[] overlong = concat("{\"message\": \"a", new byte[] {(byte) 0xC0, (byte) 0xAF}, "\", \"userId\": \"u\"}");
        byte[] continuation = concat("{\"message\": \"a", new byte[] {(byte) 0x80}, "\", \"userId\": \"u\"}");

        for (byte[] body : new byte[][] {utf16, latin1, overlong, continuation}) {
            Api.Response response = api.postBytes("/api/chat", body);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().path("code").asText()).isEqualTo("INVALID_REQUEST");
        }
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }

    @Test
    void should_treat_sql_in_values_as_plain_text() {
        String sneaky = "x' OR '1'='1";
        Api.Response chat = api.post("/api/chat", Map.of("message", "'; DROP TABLE messages; --", "userId", sneaky, "groupId", "g\" OR 1=1 --"));
        assertThat(chat.status()).isEqualTo(200);

        var list = api.get("/api/conversations?userId=" + java.net.URLEncoder.encode(sneaky, StandardCharsets.UTF_8)).data();
        assertThat(list.path("total").asInt()).isEqualTo(1);
        assertThat(list.path("conversations").path(0).path("userId").asText()).isEqualTo(sneaky);
        var stored = api.get("/api/conversations/" + chat.data().path("conversationId").asText()).data();
        assertThat(stored.path("messages").path(0).path("content").asText()).isEqualTo("'; DROP TABLE messages; --");
        assertThat(api.get("/api/conversations?userId=" + java.net.URLEncoder.encode("' OR 1=1 --", StandardCharsets.UTF_8))
                .data().path("total").asInt()).isZero();
    }

    @Test
    void should_require_a_key_on_api_routes_but_not_on_health() {
        Api anonymous = server.as(null);
        Api wrong = server.as("sk-wrong");

        for (Api caller : new Api[] {anonymous, wrong}) {
            Api.Response response = caller.post("/api/chat", Map.of("message", "hi", "userId", "u"));
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.json().path("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(caller.get("/api/conversations").status()).isEqualTo(401);
            assertThat(caller.get("/api/presets").status()).isEqualTo(401);
        }
        assertThat(anonymous.get("/health").json().path("status").asText()).isEqualTo("UP");
        assertThat(anonymous.get("/ready").status()).isEqualTo(200);
    }

    @Test
    void should_answer_unknown_routes_with_the_envelope() {
        Api.Response response = api.get("/api/nothing-here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void should_keep_a_valid_caller_request_id_and_replace_an_invalid_one() {
        Api.Response kept = api.send(api.request("/health").header("X-Request-Id", "bot-msg-123"));
        Api.Response replaced = api.send(api.request("/health").header("X-Request-Id", "bad id with spaces"));

        assertThat(kept.header("X-Request-Id")).isEqualTo("bot-msg-123");
        assertThat(replaced.header("X-Request-Id")).isNotEqualTo("bad id with spaces").matches("[a-z0-9]{20}");
    }
}
