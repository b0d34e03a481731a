package io.chatai.provider.gemini;

import static io.chatai.provider.gemini.GeminiRequestsTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the conversation lands in Gemini's {@code contents}: tool results, thoughts and signatures, images. */
class GeminiContentsTest {

    static JsonNode contents(ChatMessage... messages) {
        ModelRequest request = new ModelRequest("gemini-3-flash", List.of(messages), null);
        return Json.MAPPER.<JsonNode>valueToTree(GeminiRequests.request(request, request.model())).path("contents");
    }

    static Part.ToolCall call(String id, String name, String signature) {
        return new Part.ToolCall(id, name, "{\"city\":\"Paris\"}", signature);
    }

    static ChatMessage.Tool result(String id, String name, String text, boolean error) {
        return new ChatMessage.Tool(id, name, List.of(new Part.Text(text)), error);
    }

    @Test
    void should_name_each_function_response_after_its_call_and_answer_parallel_calls_in_one_content() {
        JsonNode contents = contents(ChatMessage.user("Weather and time?"),
                new ChatMessage.Assistant(List.of(call("call_a", "get_weather", "sig-a"), call("call_b", "get_time", null))),
                result("call_b", null, "{\"time\": \"12:00\"}", false),
                result("call_a", null, "18 degrees", false),
                ChatMessage.user("Thanks. And tomorrow?"));

        assertThat(contents).hasSize(4);
        assertThat(contents.path(2)).isEqualTo(json("""
                {"role": "user", "parts": [
                  {"functionResponse": {"name": "get_time", "response": {"time": "12:00"}}},
                  {"functionResponse": {"name": "get_weather", "response": {"result": "18 degrees"}}}]}"""));
        assertThat(contents.path(3)).isEqualTo(json("{\"role\": \"user\", \"parts\": [{\"text\": \"Thanks. And tomorrow?\"}]}"));
    }

    @Test
    void should_prefer_the_name_on_the_tool_message_and_wrap_text_json_arrays_and_errors() {
        JsonNode contents = contents(ChatMessage.user("Go."),
                new ChatMessage.Assistant(List.of(call("call_a", "lookup", "s"), call("call_b", "lookup", null),
                        call("call_c", "lookup", null))),
                result("call_a", "renamed", "[1, 2]", false),
                result("call_b", null, "{\"code\": 7}", true),
                result("call_c", null, "timed out", true));

        JsonNode parts = contents.path(2).path("parts");
        assertThat(parts.path(0).path("functionResponse")).isEqualTo(json("{\"name\": \"renamed\", \"response\": {\"result\": \"[1, 2]\"}}"));
        assertThat(parts.path(1).path("functionResponse").path("response")).isEqualTo(json("{\"error\": {\"code\": 7}}"));
        assertThat(parts.path(2).path("functionResponse").path("response")).isEqualTo(json("{\"error\": \"timed out\"}"));
    }

    @Test
    void should_send_images_inline_in_user_turns_and_as_function_response_parts_in_tool_results() {
        Part.Image dot = new Part.Image(new ImageSource.Inline("image/png", "iVBORw0K"), "low");
        JsonNode contents = contents(new ChatMessage.User(List.of(new Part.Text("What is this?"), dot), null),
                new ChatMessage.Assistant(List.of(call("call_a", "screenshot", "s"))),
                new ChatMessage.Tool("call_a", "screenshot", List.of(new Part.Text("done"), dot), false));

        assertThat(contents.path(0).path("parts").path(1)).isEqualTo(json("{\"inlineData\": {\"mimeType\": \"image/png\", \"data\": \"iVBORw0K\"}}"));
        assertThat(contents.path(2).path("parts").path(0).path("functionResponse")).isEqualTo(json("""
                {"name": "screenshot", "response": {"result": "done"},
                 "parts": [{"inlineData": {"mimeType": "image/png", "data": "iVBORw0K"}}]}"""));
    }

    @Test
    void should_send_back_only_geminis_signed_thoughts_in_their_place_and_nothing_of_other_origins() {
        JsonNode contents = contents(ChatMessage.user("6 x 7?"), new ChatMessage.Assistant(List.of(
                new Part.Reasoning("Anthropic thinking", "anthropic-sig", null, Part.Reasoning.ANTHROPIC),
                new Part.Reasoning(null, null, "redacted-data", Part.Reasoning.ANTHROPIC),
                Part.Reasoning.text("DeepSeek thinking", Part.Reasoning.OPENAI),
                Part.Reasoning.text("an unsigned Gemini summary", Part.Reasoning.GEMINI),
                new Part.Reasoning("Six times seven.", "gemini-sig", null, Part.Reasoning.GEMINI),
                new Part.Text("42"))));

        assertThat(contents.path(1)).isEqualTo(json("""
                {"role": "model", "parts": [
                  {"text": "Six times seven.", "thought": true, "thoughtSignature": "gemini-sig"}, {"text": "42"}]}"""));
    }

    @Test
    void should_put_a_signature_without_thought_text_back_on_the_part_before_it() {
        JsonNode contents = contents(ChatMessage.user("hi"), new ChatMessage.Assistant(List.of(
                new Part.Text("Hello"), new Part.Reasoning(null, "text-sig", null, Part.Reasoning.GEMINI),
                new Part.Text(" again"))));

        assertThat(contents.path(1).path("parts")).isEqualTo(json("""
                [{"text": "Hello", "thoughtSignature": "text-sig"}, {"text": " again"}]"""));
    }

    @Test
    void should_give_an_unsigned_call_of_the_current_turn_geminis_documented_placeholder_and_leave_older_turns_alone() {
        JsonNode contents = contents(ChatMessage.user("Weather?"),
                new ChatMessage.Assistant(List.of(call("call_a", "get_weather", null))),
                result("call_a", null, "sunny", false),
                new ChatMessage.Assistant(List.of(new Part.Text("Sunny."))),
                ChatMessage.user("And in Rome?"),
                new ChatMessage.Assistant(List.of(new Part.Text("Checking."), call("call_b", "get_weather", null),
                        call("call_c", "get_weather", null))),
                result("call_b", null, "rain", false), result("call_c", null, "rain", false),
                new ChatMessage.Assistant(List.of(call("call_d", "get_weather", "own-sig"))),
                result("call_d", null, "rain", false));

        assertThat(contents.path(1).path("parts").path(0).has("thoughtSignature")).as("an earlier turn").isFalse();
        JsonNode step = contents.path(5).path("parts");
        assertThat(step.path(0).has("thoughtSignature")).isFalse();
        assertThat(step.path(1).path("thoughtSignature").asText()).isEqualTo(GeminiContents.UNSIGNED_CALL);
        assertThat(step.path(2).has("thoughtSignature")).as("only the step's first call").isFalse();
        assertThat(contents.path(7).path("parts").path(0).path("thoughtSignature").asText()).isEqualTo("own-sig");
    }

    @Test
    void should_leave_out_empty_messages_and_empty_text_parts() {
        JsonNode contents = contents(ChatMessage.user(""), ChatMessage.assistant(""), ChatMessage.user("hi"));

        assertThat(contents).isEqualTo(json("[{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}]"));
    }
}
