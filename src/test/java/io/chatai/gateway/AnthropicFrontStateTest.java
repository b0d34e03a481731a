package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.message.Part;
import org.junit.jupiter.api.Test;

/** The opaque state the Messages front hides in fields clients echo comes back as it went out. */
class AnthropicFrontStateTest {

    @Test
    void should_carry_a_gemini_call_signature_in_the_tool_use_id_and_read_it_back() {
        String signature = "CiQB+/=" + "x".repeat(300);

        String id = AnthropicFrontState.toolUseId("call_abc", signature);

        assertThat(id).startsWith("call_abc__ts_").matches("[A-Za-z0-9_-]+");
        assertThat(AnthropicFrontState.callSignature(id)).isEqualTo(signature);
        assertThat(AnthropicFrontState.toolUseId("toolu_01", null)).isEqualTo("toolu_01");
        assertThat(AnthropicFrontState.callSignature("toolu_01")).isNull();
    }

    @Test
    void should_read_thinking_blocks_back_as_the_reasoning_of_the_provider_that_made_them() {
        Part.Reasoning gemini = new Part.Reasoning("t", "g-sig", null, Part.Reasoning.GEMINI);
        Part.Reasoning plain = Part.Reasoning.text("t", Part.Reasoning.OPENAI);

        assertThat(AnthropicFrontState.reasoning("t", AnthropicFrontState.signature(gemini))).isEqualTo(gemini);
        assertThat(AnthropicFrontState.reasoning("t", AnthropicFrontState.signature(plain))).isEqualTo(plain);
        assertThat(AnthropicFrontState.reasoning("t", "EqQBCgIYAh==")).isEqualTo(
                new Part.Reasoning("t", "EqQBCgIYAh==", null, Part.Reasoning.ANTHROPIC));
        assertThat(AnthropicFrontState.reasoning("", "")).isNull();
    }
}
