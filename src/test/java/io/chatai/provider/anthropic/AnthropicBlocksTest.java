package io.chatai.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicBlocksTest {

    @Test
    void should_send_arguments_that_are_not_a_json_object_as_an_empty_input() {
        assertThat(AnthropicBlocks.input("{\"city\":\"Paris\"}").toString()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(AnthropicBlocks.input("{\"city\":").toString()).isEqualTo("{}");
        assertThat(AnthropicBlocks.input("[1,2]").toString()).isEqualTo("{}");
    }

    @Test
    void should_make_foreign_tool_ids_acceptable_the_same_way_in_the_call_and_its_result() {
        List<ChatMessage> conversation = List.of(ChatMessage.user("Weather?"),
                new ChatMessage.Assistant(List.of(new Part.ToolCall("functions.get_weather:0", "get_weather", "{}", null))),
                new ChatMessage.Tool("functions.get_weather:0", null, List.of(new Part.Text("sunny")), false));

        String wire = Json.writeString(AnthropicBlocks.messages(conversation, new ArrayList<>()));

        assertThat(wire).contains("\"id\":\"functions_get_weather_0\"", "\"tool_use_id\":\"functions_get_weather_0\"")
                .doesNotContain("functions.get_weather:0");
        assertThat(AnthropicBlocks.toolUseId("toolu_01A-b")).isEqualTo("toolu_01A-b");
    }

    @Test
    void should_send_an_empty_tool_result_without_content_and_images_in_a_result_as_blocks() {
        List<ChatMessage> conversation = List.of(
                new ChatMessage.Tool("call_1", null, List.of(), false),
                new ChatMessage.Tool("call_2", null, List.of(new Part.Text("chart:"),
                        new Part.Image(new io.chatai.core.message.ImageSource.Inline("image/png", "AAAA"), null)), false));

        String wire = Json.writeString(AnthropicBlocks.messages(conversation, new ArrayList<>()));

        assertThat(wire).isEqualTo("[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_1\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"call_2\",\"content\":[{\"type\":\"text\",\"text\":\"chart:\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AAAA\"}}]}]}]");
    }

    @Test
    void should_end_a_paused_turn_as_a_stop_and_a_full_context_as_length() {
        assertThat(AnthropicWire.finishReason("pause_turn")).isEqualTo(FinishReason.STOP);
        assertThat(AnthropicWire.finishReason("stop_sequence")).isEqualTo(FinishReason.STOP);
        assertThat(AnthropicWire.finishReason("model_context_window_exceeded")).isEqualTo(FinishReason.LENGTH);
        assertThat(AnthropicWire.finishReason("refusal")).isEqualTo(FinishReason.CONTENT_FILTER);
    }
}
