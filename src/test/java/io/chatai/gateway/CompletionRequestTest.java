package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.ToolChoice;
import io.chatai.web.OpenAiError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole OpenAI chat-completions request read into the rich model, and its mistakes answered with the field at fault. */
class CompletionRequestTest {

    private static CompletionRequest parse(String json) {
        return CompletionRequest.parse(json, Json.parseObject(json));
    }

    private static CompletionRequest parseMessages(String messages) {
        return parse("{\"model\":\"m\",\"messages\":" + messages + "}");
    }

    @Test
    void should_read_a_tool_loop_with_images_reasoning_state_and_names() {
        CompletionRequest request = parseMessages("""
                [{"role": "developer", "content": [{"type": "text", "text": "Be "}, {"type": "text", "text": "brief."}]},
                 {"role": "user", "name": "ann", "content": [{"type": "text", "text": "What is this?"},
                   {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0=", "detail": "low"}},
                   {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}]},
                 {"role": "assistant", "content": null,
                  "thinking_blocks": [{"type": "thinking", "thinking": "Let me look.", "signature": "sig-1=="},
                                      {"type": "redacted_thinking", "data": "opaque=="}],
                  "tool_calls": [{"id": "call_a", "type": "function", "function": {"name": "lookup", "arguments": "{\\"q\\":1}"},
                                  "extra_content": {"google": {"thought_signature": "gem-sig"}}}]},
                 {"role": "tool", "tool_call_id": "call_a", "content": [{"type": "text", "text": "a cat"}]},
                 {"role": "assistant", "content": "A cat.", "reasoning_content": "It said cat."}]
                """);

        List<ChatMessage> messages = request.model().messages();
        assertThat(messages.get(0)).isEqualTo(new ChatMessage.System("Be brief."));
        ChatMessage.User user = (ChatMessage.User) messages.get(1);
        assertThat(user.name()).isEqualTo("ann");
        assertThat(user.content()).containsExactly(new Part.Text("What is this?"),
                new Part.Image(new ImageSource.Inline("image/png", "iVBORw0="), "low"),
                new Part.Image(new ImageSource.Url("https://example.com/cat.jpg"), null));
        assertThat(messages.get(2).content()).containsExactly(
                new Part.Reasoning("Let me look.", "sig-1==", null, Part.Reasoning.ANTHROPIC),
                new Part.Reasoning(null, null, "opaque==", Part.Reasoning.ANTHROPIC),
                new Part.ToolCall("call_a", "lookup", "{\"q\":1}", "gem-sig"));
        assertThat(messages.get(3)).isEqualTo(new ChatMessage.Tool("call_a", "lookup", List.of(new Part.Text("a cat")), false));
        assertThat(messages.get(4).content()).containsExactly(new Part.Reasoning("It said cat.", null, null, Part.Reasoning.OPENAI),
                new Part.Text("A cat."));
        assertThat(request.relayOnly()).isNull();
        assertThat(parseMessages("[{\"role\":\"tool\",\"tool_call_id\":\"elsewhere\",\"name\":\"lookup\",\"content\":\"x\"}]")
                .model().messages().getFirst()).isEqualTo(new ChatMessage.Tool("elsewhere", "lookup", List.of(new Part.Text("x")), false));
    }

    @Test
    void should_read_every_option() {
        CompletionRequest request = parse("""
                {"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": 0.5, "top_p": 0.9,
                 "max_tokens": 10, "max_completion_tokens": 20, "stop": "END", "seed": 7, "presence_penalty": 0.5,
                 "frequency_penalty": -0.5, "parallel_tool_calls": false, "reasoning_effort": "low", "top_logprobs": 3, "n": 1,
                 "tools": [{"type": "function", "function": {"name": "f", "description": "d", "strict": true,
                            "parameters": {"type": "object", "properties": {}}}}],
                 "tool_choice": {"type": "function", "function": {"name": "f"}},
                 "response_format": {"type": "json_schema", "json_schema": {"name": "s", "strict": true,
                                     "schema": {"type": "object"}}},
                 "stream": true, "stream_options": {"include_usage": true}, "user": "bob",
                 "service_tier": "flex", "store": true, "metadata": {"k": "v"}, "prediction": {"type": "content", "content": "x"}}
                """);

        RequestOptions options = request.model().options();
        assertThat(options.temperature()).isEqualTo(0.5);
        assertThat(options.topP()).isEqualTo(0.9);
        assertThat(options.maxTokens()).as("max_completion_tokens wins").isEqualTo(20);
        assertThat(options.stop()).containsExactly("END");
        assertThat(options.seed()).isEqualTo(7L);
        assertThat(options.presencePenalty()).isEqualTo(0.5);
        assertThat(options.frequencyPenalty()).isEqualTo(-0.5);
        assertThat(options.parallelToolCalls()).isFalse();
        assertThat(options.reasoning().effort()).isEqualTo("low");
        assertThat(options.topLogprobs()).isEqualTo(3);
        assertThat(options.n()).isEqualTo(1);
        assertThat(options.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("f");
            assertThat(tool.description()).isEqualTo("d");
            assertThat(tool.strict()).isTrue();
            assertThat(tool.parameters().path("type").asText()).isEqualTo("object");
        });
        assertThat(options.toolChoice()).isEqualTo(new ToolChoice.Named("f"));
        assertThat(options.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class, format -> {
            assertThat(format.name()).isEqualTo("s");
            assertThat(format.strict()).isTrue();
            assertThat(format.schema().path("type").asText()).isEqualTo("object");
        });
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
        assertThat(request.user()).isEqualTo("bob");
        assertThat(request.relayOnly()).as("hints are not refusals").isNull();
        assertThat(parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":[\"a\",\"b\"]}")
                .model().options().stop()).containsExactly("a", "b");
        assertThat(parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":\"required\","
                + "\"response_format\":{\"type\":\"json_object\"}}").model().options())
                .satisfies(o -> {
                    assertThat(o.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
                    assertThat(o.responseFormat()).isEqualTo(new ResponseFormat.JsonObject());
                });
    }

    @Test
    void should_note_what_only_a_relay_can_carry() {
        String user = "{\"role\":\"user\",\"content\":\"x\"}";
        assertThat(parse("{\"model\":\"m\",\"messages\":[" + user + "],\"n\":2}").relayOnly()).isEqualTo("n");
        assertThat(parse("{\"model\":\"m\",\"messages\":[" + user + "],\"logprobs\":true}").relayOnly()).isEqualTo("logprobs");
        assertThat(parse("{\"model\":\"m\",\"messages\":[" + user + "],\"logit_bias\":{\"50256\":-100}}").relayOnly()).isEqualTo("logit_bias");
        assertThat(parse("{\"model\":\"m\",\"messages\":[" + user + "],\"modalities\":[\"text\",\"audio\"],\"audio\":{}}").relayOnly())
                .isEqualTo("audio");
        assertThat(parse("{\"model\":\"m\",\"messages\":[" + user + "],\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"c\"}}]}")
                .relayOnly()).isEqualTo("tools[0]");
        assertThat(parseMessages("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\"},"
                + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAAA\",\"format\":\"wav\"}}]}]").relayOnly())
                .isEqualTo("messages[0].content[1]");
        assertThat(parseMessages("[" + user + ",{\"role\":\"function\",\"name\":\"f\",\"content\":\"1\"}]").relayOnly())
                .isEqualTo("messages[1].role");
        assertThat(parse("{\"model\":\"m\",\"messages\":[" + user + "],\"logprobs\":false,\"n\":1}").relayOnly()).isNull();
    }

    @Test
    void should_name_the_field_at_fault() {
        assertParam("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "model", "missing_required_parameter");
        assertParam("{\"model\":\"m\"}", "messages", "missing_required_parameter");
        assertParam("{\"model\":\"m\",\"messages\":[]}", "messages", "invalid_value");
        assertParam("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":1}]}", "messages[0].content", "invalid_type");
        assertParam("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", "messages[0].role", "invalid_value");
        assertParam("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\"}]}", "messages[0].content", "invalid_value");
        assertParam("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", "messages[0].tool_call_id",
                "missing_required_parameter");
        assertParam("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}",
                "messages[0].content[0].image_url.url", "missing_required_parameter");
        assertParam("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":{}}]}]}",
                "messages[0].tool_calls[0].function.name", "missing_required_parameter");
        String user = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
        assertParam("{\"model\":\"m\"," + user + ",\"temperature\":3}", "temperature", "invalid_value");
        assertParam("{\"model\":\"m\"," + user + ",\"stop\":[1]}", "stop[0]", "invalid_type");
        assertParam("{\"model\":\"m\"," + user + ",\"tools\":[{\"type\":\"function\"}]}", "tools[0].function", "missing_required_parameter");
        assertParam("{\"model\":\"m\"," + user + ",\"tool_choice\":\"sometimes\"}", "tool_choice", "invalid_value");
        assertParam("{\"model\":\"m\"," + user + ",\"response_format\":{\"type\":\"json_schema\"}}", "response_format.json_schema",
                "missing_required_parameter");
        assertParam("{\"model\":\"m\"," + user + ",\"stream_options\":true}", "stream_options", "invalid_type");
        assertParam("{\"model\":\"m\"," + user + ",\"n\":0}", "n", "invalid_value");
        assertParam("{\"model\":\"m\"," + user + ",\"seed\":1.5}", "seed", "invalid_type");
    }

    @Test
    void should_count_a_long_user_through_a_hash_of_it() {
        String user = "{\\\"device_id\\\":\\\"" + "x".repeat(80) + "\\\"}";
        CompletionRequest request = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"user\":\"" + user + "\"}");

        assertThat(request.user()).startsWith("sha256:").hasSizeLessThanOrEqualTo(64);
        assertThat(parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"user\":\"" + user + "\"}").user())
                .isEqualTo(request.user());
    }

    private static void assertParam(String json, String param, String code) {
        assertThatThrownBy(() -> parse(json)).as(json).isInstanceOfSatisfying(OpenAiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.openAiCode()).isEqualTo(code);
            assertThat(e.type()).isEqualTo("invalid_request_error");
        });
    }
}
