package io.chatai.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.Json;
import org.junit.jupiter.api.Test;

/**
 * The relay's edits are made in the JSON text: every byte of the caller's request but {@code model} (and a
 * stream's usage option) reaches the upstream, and every byte of the answer but its top-level {@code model}
 * reaches the caller.
 */
class RelayTextTest {
    private static final String BODY = "{ \"model\" : \"alias\",\n \"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9 \\\"model\\\": x\"}],"
            + " \"temperature\": 1.0e0, \"x_vendor\": {\"model\": \"keep\"}, \"stream\": %s%s }";

    private static String body(boolean stream, String options) {
        return BODY.formatted(stream, options);
    }

    @Test
    void should_change_only_the_model_of_a_non_streamed_request() {
        String edited = RequestEdit.forUpstream(body(false, ""), false, "real/model");

        assertThat(edited).isEqualTo(body(false, "").replace("\"model\" : \"alias\"", "\"model\" : \"real/model\""));
    }

    @Test
    void should_ask_a_stream_for_usage_without_touching_anything_else() {
        String inserted = RequestEdit.forUpstream(body(true, ""), true, "real");
        assertThat(inserted).isEqualTo("{\"stream_options\":{\"include_usage\":true},"
                + body(true, "").substring(1).replace("\"model\" : \"alias\"", "\"model\" : \"real\""));

        String asked = body(true, ", \"stream_options\": {\"include_usage\": true}");
        assertThat(RequestEdit.forUpstream(asked, true, "real")).isEqualTo(asked.replace("\"alias\"", "\"real\""));

        String other = body(true, ", \"stream_options\": {\"include_obfuscation\": false, \"include_usage\": false}");
        assertThat(RequestEdit.forUpstream(other, true, "real")).isEqualTo(other.replace("\"alias\"", "\"real\"")
                .replace("{\"include_obfuscation\": false, \"include_usage\": false}", "{\"include_obfuscation\":false,\"include_usage\":true}"));
    }

    @Test
    void should_edit_stream_options_before_the_model_too() {
        String early = "{\"stream_options\":null,\"stream\":true,\"model\":\"a\",\"messages\":[]}";

        assertThat(RequestEdit.forUpstream(early, true, "bb"))
                .isEqualTo("{\"stream_options\":{\"include_usage\":true},\"stream\":true,\"model\":\"bb\",\"messages\":[]}");
    }

    @Test
    void should_rewrite_only_the_top_level_model_of_an_answer_and_read_what_is_accounted() throws Exception {
        String chunk = "{\"id\":\"c\",\"choices\":[{\"index\":1,\"delta\":{\"reasoning_content\":\"hm\",\"tool_calls\":[{\"index\":0,"
                + "\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}],\"model\":\"inner\"},"
                + "\"finish_reason\":\"tool_calls\"}],\"model\":\"up-2024\",\"x\":{\"model\":\"n\"},"
                + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":3},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":2}}}";

        ChunkScan.Scanned scanned = ChunkScan.scan(chunk);

        assertThat(scanned.withModel(chunk, Json.writeString("mine \"quoted\"")))
                .isEqualTo(chunk.replace("\"model\":\"up-2024\"", "\"model\":\"mine \\\"quoted\\\"\""));
        assertThat(scanned.finishReason()).isEqualTo("tool_calls");
        assertThat(scanned.usage().promptTokens()).isEqualTo(7);
        assertThat(scanned.usage().cachedPromptTokens()).isEqualTo(3);
        assertThat(scanned.usage().reasoningTokens()).isEqualTo(2);
        assertThat(scanned.usageOnly()).isFalse();
        assertThat(scanned.pieces()).extracting(p -> p.choice() + ":" + p.kind() + ":" + p.id() + ":" + p.name() + ":" + p.text())
                .containsExactly("1:REASONING:null:null:hm", "1:TOOL:call_1:f:{\"a\"");
        assertThat(ChunkScan.scan("{\"choices\":[],\"usage\":{\"prompt_tokens\":1}}").usageOnly()).isTrue();
        assertThat(ChunkScan.scan("{\"error\":{\"message\":\"boom\"}}").error()).isEqualTo("boom");
    }
}
