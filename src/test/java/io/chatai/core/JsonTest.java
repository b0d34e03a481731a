package io.chatai.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void should_parse_an_object() {
        assertThat(Json.parseObject(utf8("{\"a\": \"é😀\"}")).path("a").asText()).isEqualTo("é😀");
    }

    @Test
    void should_refuse_what_is_not_exactly_one_utf8_json_object() {
        String[] bad = {"", "[]", "1", "{} {}", "{\"a\":1,\"a\":2}", "{\"a\": NaN}", "{'a': 1}", "{\"a\": 1,}"};
        for (String text : bad) {
            assertThatThrownBy(() -> Json.parseObject(utf8(text))).as(text)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
        assertThatThrownBy(() -> Json.parseObject("{\"a\": \"b\"}".getBytes(StandardCharsets.UTF_16))).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Json.parseObject(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void should_refuse_deep_nesting_cheaply() {
        String deep = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertThatThrownBy(() -> Json.parseObject(utf8(deep))).isInstanceOf(ApiException.class)
                .hasMessageContaining("nesting");
    }

    @Test
    void should_check_text_rules_in_code_points() {
        assertThat(JsonBody.checkText("f", "😀😀", 1, 2)).isEqualTo("😀😀");
        assertThatThrownBy(() -> JsonBody.checkText("f", "😀😀😀", 1, 2)).hasMessage("f must be 1-2 characters, got 3");
        assertThatThrownBy(() -> JsonBody.checkText("f", "a\u0000", 1, 9)).hasMessage("f must not contain U+0000");
        assertThatThrownBy(() -> JsonBody.checkText("f", "\udc00x", 1, 9)).hasMessageContaining("unpaired");
        assertThatThrownBy(() -> JsonBody.checkText("f", "x\ud800", 1, 9)).hasMessageContaining("unpaired");
    }
}
