package io.chatai.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.message.TokenUsage;
import io.chatai.core.Json;
import org.junit.jupiter.api.Test;

class GeminiWireTest {

    @Test
    void should_keep_a_model_name_inside_one_path_segment() {
        assertThat(GeminiWire.pathSegment("gemini-2.5-flash")).isEqualTo("gemini-2.5-flash");
        assertThat(GeminiWire.pathSegment("../../v1/files?x=1#y")).isEqualTo("..%2F..%2Fv1%2Ffiles%3Fx%3D1%23y");
        assertThat(GeminiWire.pathSegment("é")).isEqualTo("%C3%A9");
    }

    @Test
    void should_count_thinking_tokens_as_completion_and_reasoning_and_cached_tokens_as_prompt() throws Exception {
        var chunk = Json.tree("""
                {"candidates": [{"content": {"role": "model", "parts": [
                    {"text": "pondering", "thought": true}, {"text": "Answer"}]}, "finishReason": "STOP"}],
                 "usageMetadata": {"promptTokenCount": 7, "candidatesTokenCount": 3, "thoughtsTokenCount": 40,
                   "cachedContentTokenCount": 5}}""");

        assertThat(GeminiWire.usage(chunk)).isEqualTo(new TokenUsage(7, 43, 5, 0, 40, false));
        assertThat(GeminiWire.finishReason(chunk)).isEqualTo("STOP");
    }

    @Test
    void should_not_take_an_unspecified_finish_reason_for_the_end() throws Exception {
        var chunk = Json.tree("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"a\"}]}, \"finishReason\": \"FINISH_REASON_UNSPECIFIED\"}]}");

        assertThat(GeminiWire.finishReason(chunk)).isNull();
        assertThat(GeminiWire.blockReason(chunk)).isNull();
    }
}
