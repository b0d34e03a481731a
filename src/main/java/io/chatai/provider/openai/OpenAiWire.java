package io.chatai.provider.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The OpenAI chat completions request as this adapter writes it: records serialized by Jackson, absent
 * (null) fields left out so a compatible server only sees what the caller asked for. Internal to the
 * adapter; immutable.
 */
final class OpenAiWire {
    private OpenAiWire() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Request(String model, List<Message> messages, Double temperature, @JsonProperty("top_p") Double topP,
                   @JsonProperty("max_tokens") Integer maxTokens,
                   @JsonProperty("max_completion_tokens") Integer maxCompletionTokens, List<String> stop, Long seed,
                   @JsonProperty("presence_penalty") Double presencePenalty,
                   @JsonProperty("frequency_penalty") Double frequencyPenalty, List<Tool> tools,
                   @JsonProperty("tool_choice") Object toolChoice,
                   @JsonProperty("parallel_tool_calls") Boolean parallelToolCalls,
                   @JsonProperty("response_format") ResponseFormat responseFormat,
                   @JsonProperty("reasoning_effort") String reasoningEffort, Boolean logprobs,
                   @JsonProperty("top_logprobs") Integer topLogprobs, Integer n, boolean stream,
                   @JsonProperty("stream_options") StreamOptions streamOptions) {
    }

    /**
     * One message of any role; {@code content} is a string, or a list of {@link TextPart}s and {@link ImagePart}s
     * (user messages with images), or null on an assistant message that only calls tools.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Message(String role, Object content, String name, @JsonProperty("tool_calls") List<ToolCall> toolCalls,
                   @JsonProperty("tool_call_id") String toolCallId,
                   @JsonProperty("reasoning_content") String reasoningContent) {
    }

    record TextPart(String type, String text) {
        TextPart(String text) {
            this("text", text);
        }
    }

    record ImagePart(String type, @JsonProperty("image_url") ImageUrl imageUrl) {
        ImagePart(ImageUrl imageUrl) {
            this("image_url", imageUrl);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ImageUrl(String url, String detail) {
    }

    record ToolCall(String id, String type, FunctionCall function) {
        ToolCall(String id, FunctionCall function) {
            this(id, "function", function);
        }
    }

    record FunctionCall(String name, String arguments) {
    }

    record Tool(String type, Function function) {
        Tool(Function function) {
            this("function", function);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Function(String name, String description, JsonNode parameters, Boolean strict) {
    }

    /** {@code {"type":"function","function":{"name":...}}}: the one function the model must call. */
    record NamedToolChoice(String type, FunctionName function) {
        NamedToolChoice(String name) {
            this("function", new FunctionName(name));
        }
    }

    record FunctionName(String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ResponseFormat(String type, @JsonProperty("json_schema") JsonSchema jsonSchema) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JsonSchema(String name, String description, JsonNode schema, Boolean strict) {
    }

    record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {
    }
}
