package io.chatai.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ToolSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicRequestTest {

    @Test
    void should_give_a_tool_without_schema_an_empty_object_schema_and_leave_out_a_missing_description() {
        ModelRequest request = new ModelRequest("claude", List.of(ChatMessage.user("hi")),
                RequestOptions.builder().tools(List.of(new ToolSpec("ping", null, null, true))).build());

        String body = Json.writeString(AnthropicRequest.of(request, false));

        assertThat(body).isEqualTo("{\"model\":\"claude\",\"max_tokens\":4096,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"name\":\"ping\",\"input_schema\":{\"type\":\"object\",\"properties\":{}}}]}");
    }
}
