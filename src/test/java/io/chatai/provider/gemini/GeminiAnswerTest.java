package io.chatai.provider.gemini;

import static io.chatai.provider.gemini.GeminiRequestsTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.CompletionBuilder;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Gemini's answer parts, whole or chunk by chunk, as numbered deltas of the rich model. */
class GeminiAnswerTest {

    static JsonNode chunk(String parts) {
        return json("{\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": " + parts + "}}]}");
    }

    static List<StreamEvent> read(String... chunks) {
        List<StreamEvent> events = new ArrayList<>();
        GeminiAnswer answer = new GeminiAnswer(events::add);
        for (String parts : chunks) {
            answer.read(chunk(parts));
        }
        return events;
    }

    static Completion assemble(List<StreamEvent> events) {
        CompletionBuilder builder = new CompletionBuilder();
        events.forEach(builder::accept);
        return builder.build(FinishReason.STOP, null);
    }

    @Test
    void should_continue_streamed_text_and_thought_pieces_and_give_each_call_a_part_and_an_id_of_its_own() {
        List<StreamEvent> events = read(
                "[{\"text\": \"Let \", \"thought\": true}]", "[{\"text\": \"me see\", \"thought\": true}]",
                "[{\"text\": \"Chec\"}]", "[{\"text\": \"king.\"}]",
                "[{\"functionCall\": {\"name\": \"a\", \"args\": {\"x\": 1}}, \"thoughtSignature\": \"sig\"},"
                        + " {\"functionCall\": {\"name\": \"b\"}}]");

        assertThat(events).hasSize(6);
        assertThat(events.subList(0, 4)).containsExactly(
                new StreamEvent.ReasoningDelta(0, "Let ", null, null, Part.Reasoning.GEMINI),
                new StreamEvent.ReasoningDelta(0, "me see", null, null, Part.Reasoning.GEMINI),
                new StreamEvent.TextDelta(1, "Chec"), new StreamEvent.TextDelta(1, "king."));
        StreamEvent.ToolCallDelta first = (StreamEvent.ToolCallDelta) events.get(4);
        StreamEvent.ToolCallDelta second = (StreamEvent.ToolCallDelta) events.get(5);
        assertThat(List.of(first.part(), second.part())).containsExactly(2, 3);
        assertThat(first.id()).startsWith("call_").isNotEqualTo(second.id());
        assertThat(json(first.arguments())).isEqualTo(json("{\"x\": 1}"));
        assertThat(first.signature()).isEqualTo("sig");
        assertThat(second.arguments()).isEqualTo("{}");
        assertThat(second.signature()).isNull();
    }

    @Test
    void should_take_geminis_own_call_id_when_it_sends_one() {
        List<StreamEvent> events = read("[{\"functionCall\": {\"id\": \"gem-7\", \"name\": \"a\", \"args\": {}}}]");

        assertThat(((StreamEvent.ToolCallDelta) events.getFirst()).id()).isEqualTo("gem-7");
    }

    @Test
    void should_close_a_signed_thought_so_the_next_thought_starts_a_part_of_its_own() {
        Completion completion = assemble(read(
                "[{\"text\": \"one\", \"thought\": true, \"thoughtSignature\": \"s1\"}]",
                "[{\"text\": \"two\", \"thought\": true}]", "[{\"text\": \"\", \"thought\": true, \"thoughtSignature\": \"s2\"}]"));

        assertThat(completion.content()).containsExactly(new Part.Reasoning("one", "s1", null, Part.Reasoning.GEMINI),
                new Part.Reasoning("two", "s2", null, Part.Reasoning.GEMINI));
    }

    @Test
    void should_keep_a_signature_that_ends_a_streamed_text_on_an_empty_part_and_send_it_back_on_that_text() {
        Completion completion = assemble(read("[{\"text\": \"Hel\"}]", "[{\"text\": \"lo\"}]",
                "[{\"text\": \"\", \"thoughtSignature\": \"end-sig\"}]", "[{\"text\": \"\"}]"));

        assertThat(completion.content()).containsExactly(new Part.Text("Hello"),
                new Part.Reasoning(null, "end-sig", null, Part.Reasoning.GEMINI));
        ModelRequest next = new ModelRequest("gemini-3-flash", List.of(ChatMessage.user("hi"), completion.message(),
                ChatMessage.user("more")), null);
        JsonNode sent = Json.MAPPER.valueToTree(GeminiRequests.request(next, next.model()));
        assertThat(sent.path("contents").path(1).path("parts")).isEqualTo(json("[{\"text\": \"Hello\", \"thoughtSignature\": \"end-sig\"}]"));
    }

    @ParameterizedTest
    @CsvSource({"STOP, false, STOP", "STOP, true, TOOL_CALLS", "MAX_TOKENS, true, LENGTH", "SAFETY, false, CONTENT_FILTER",
            "RECITATION, false, CONTENT_FILTER", "BLOCKLIST, false, CONTENT_FILTER", "PROHIBITED_CONTENT, false, CONTENT_FILTER",
            "SPII, false, CONTENT_FILTER", "OTHER, false, STOP"})
    void should_map_the_finish_reason_and_a_stop_after_a_call_as_tool_calls(String reason, boolean call, FinishReason expected) {
        GeminiAnswer answer = new GeminiAnswer(event -> { });
        answer.read(chunk(call ? "[{\"functionCall\": {\"name\": \"a\"}}]" : "[{\"text\": \"x\"}]"));

        assertThat(answer.finish(reason)).isEqualTo(expected);
    }
}
