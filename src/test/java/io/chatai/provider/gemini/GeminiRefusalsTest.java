package io.chatai.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ToolSpec;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What Gemini cannot honour is named in OpenAI's spelling, and never sent half-honoured. */
class GeminiRefusalsTest {
    static final Part.Image URL_IMAGE = new Part.Image(new ImageSource.Url("https://example.com/cat.png"), null);
    static final RequestOptions TOOLS = RequestOptions.builder().tools(List.of(new ToolSpec("f", null, null, null))).build();

    static Optional<String> refusal(RequestOptions options, ChatMessage... messages) {
        return GeminiRefusals.first(new ModelRequest("gemini-3-flash", List.of(messages), options));
    }

    @Test
    void should_name_an_image_url_in_a_user_message_or_a_tool_result_by_its_place() {
        assertThat(refusal(null, ChatMessage.system("s"), new ChatMessage.User(List.of(new Part.Text("What?"), URL_IMAGE), null)))
                .contains("messages[1].content[1]");
        assertThat(refusal(null, ChatMessage.user("go"),
                new ChatMessage.Assistant(List.of(new Part.ToolCall("c1", "shot", "{}", null))),
                new ChatMessage.Tool("c1", null, List.of(URL_IMAGE), false)))
                .contains("messages[2].content[0]");
        assertThat(refusal(null, new ChatMessage.User(List.of(new Part.Image(new ImageSource.Inline("image/png", "AAAA"), null)), null)))
                .isEmpty();
    }

    @Test
    void should_name_more_than_one_choice_and_a_ban_on_parallel_calls_only_when_tools_are_offered() {
        assertThat(refusal(RequestOptions.builder().n(2).build(), ChatMessage.user("hi"))).contains("n");
        assertThat(refusal(RequestOptions.builder().n(1).build(), ChatMessage.user("hi"))).isEmpty();
        assertThat(refusal(TOOLS.toBuilder().parallelToolCalls(false).build(), ChatMessage.user("hi"))).contains("parallel_tool_calls");
        assertThat(refusal(TOOLS.toBuilder().parallelToolCalls(true).build(), ChatMessage.user("hi"))).isEmpty();
        assertThat(refusal(RequestOptions.builder().parallelToolCalls(false).build(), ChatMessage.user("hi"))).isEmpty();
    }

    @Test
    void should_name_arguments_that_are_no_json_object_and_a_result_whose_function_is_unknown() {
        ChatMessage calls = new ChatMessage.Assistant(List.of(new Part.ToolCall("c1", "f", "{\"a\":1}", null),
                new Part.ToolCall("c2", "f", "[1]", null)));
        assertThat(refusal(null, ChatMessage.user("go"), calls)).contains("messages[1].tool_calls[1].function.arguments");

        ChatMessage good = new ChatMessage.Assistant(List.of(new Part.ToolCall("c1", "f", "{}", null)));
        assertThat(refusal(null, ChatMessage.user("go"), good, new ChatMessage.Tool("c9", null, List.of(new Part.Text("x")), false)))
                .contains("messages[2].tool_call_id");
        assertThat(refusal(null, ChatMessage.user("go"), good, new ChatMessage.Tool("c1", null, List.of(new Part.Text("x")), false)))
                .isEmpty();
    }

    @Test
    void should_refuse_to_build_a_request_it_would_have_to_send_half_honoured() {
        ModelRequest request = new ModelRequest("gemini-3-flash", List.of(new ChatMessage.User(List.of(URL_IMAGE), null)), null);

        assertThatThrownBy(() -> GeminiRequests.request(request, request.model()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.error()).isInstanceOf(UpstreamError.BadRequest.class);
                    assertThat(e.getMessage()).contains("messages[0].content[0] is not supported by channel type gemini");
                });
    }
}
