package io.chatai.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.ToolChoice;
import io.chatai.core.message.ToolSpec;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** How the request's options land in Gemini's {@code tools}, {@code toolConfig} and {@code generationConfig}. */
class GeminiRequestsTest {
    static final ToolSpec WEATHER = new ToolSpec("get_weather", "The weather", json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"), true);
    static final ToolSpec NOW = new ToolSpec("now", null, null, null);

    static JsonNode json(String text) {
        try {
            return Json.tree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonNode wire(String model, RequestOptions options, ChatMessage... messages) {
        return Json.MAPPER.valueToTree(GeminiRequests.request(new ModelRequest(model, List.of(messages), options), model));
    }

    static JsonNode wire(RequestOptions options) {
        return wire("gemini-2.5-flash", options, ChatMessage.user("hi"));
    }

    @Test
    void should_declare_each_function_with_its_json_schema_and_leave_out_what_it_lacks() {
        JsonNode declarations = wire(RequestOptions.builder().tools(List.of(WEATHER, NOW)).build()).path("tools");

        assertThat(declarations).hasSize(1);
        assertThat(declarations.path(0).path("functionDeclarations")).isEqualTo(json("""
                [{"name": "get_weather", "description": "The weather",
                  "parametersJsonSchema": {"type":"object","properties":{"city":{"type":"string"}}}},
                 {"name": "now"}]"""));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"auto, AUTO, null", "none, NONE, null", "required, ANY, null", "named, ANY, get_weather"})
    void should_map_each_tool_choice_to_a_function_calling_mode(String choice, String mode, String allowed) {
        ToolChoice toolChoice = switch (choice) {
            case "auto" -> ToolChoice.AUTO;
            case "none" -> ToolChoice.NONE;
            case "required" -> ToolChoice.REQUIRED;
            default -> new ToolChoice.Named("get_weather");
        };

        JsonNode config = wire(RequestOptions.builder().tools(List.of(WEATHER, NOW)).toolChoice(toolChoice).build())
                .path("toolConfig").path("functionCallingConfig");

        assertThat(config.path("mode").asText()).isEqualTo(mode);
        assertThat(config.path("allowedFunctionNames").isMissingNode()).isEqualTo(allowed == null);
        if (allowed != null) {
            assertThat(config.path("allowedFunctionNames")).isEqualTo(json("[\"" + allowed + "\"]"));
        }
    }

    @Test
    void should_send_no_tool_config_without_tools_nor_tools_without_a_choice() {
        assertThat(wire(RequestOptions.builder().toolChoice(ToolChoice.REQUIRED).build()).has("toolConfig")).isFalse();
        JsonNode offered = wire(RequestOptions.builder().tools(List.of(NOW)).build());
        assertThat(offered.has("toolConfig")).isFalse();
        assertThat(offered.has("tools")).isTrue();
    }

    @Test
    void should_put_every_sampling_and_output_option_into_the_generation_config() {
        JsonNode schema = json("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}");
        JsonNode config = wire(RequestOptions.builder().temperature(0.2).topP(0.9).topK(40).maxTokens(300)
                .stop(List.of("END", "\n\n")).seed(7L).presencePenalty(0.5).frequencyPenalty(-0.5).n(1)
                .responseFormat(new ResponseFormat.JsonSchema("n", null, schema, true))
                .logprobs(true).topLogprobs(3).build()).path("generationConfig");

        assertThat(config).isEqualTo(json("""
                {"temperature": 0.2, "topP": 0.9, "topK": 40, "maxOutputTokens": 300, "stopSequences": ["END", "\\n\\n"],
                 "seed": 7, "presencePenalty": 0.5, "frequencyPenalty": -0.5, "candidateCount": 1,
                 "responseMimeType": "application/json", "responseJsonSchema": %s,
                 "responseLogprobs": true, "logprobs": 3}""".formatted(schema)));
    }

    @Test
    void should_ask_for_json_without_a_schema_for_json_object_and_send_no_config_when_nothing_is_set() {
        assertThat(wire(RequestOptions.builder().responseFormat(new ResponseFormat.JsonObject()).build()).path("generationConfig"))
                .isEqualTo(json("{\"responseMimeType\": \"application/json\"}"));
        assertThat(wire(RequestOptions.builder().responseFormat(new ResponseFormat.Text()).build()).has("generationConfig")).isFalse();
        assertThat(wire(RequestOptions.builder().logprobs(false).topLogprobs(2).build()).has("generationConfig")).isFalse();
    }

    @Test
    void should_fold_a_seed_beyond_32_bits_into_the_same_int_every_time() {
        long seed = 0x1234_5678_9abc_def0L;
        JsonNode first = wire(RequestOptions.builder().seed(seed).build()).path("generationConfig").path("seed");

        assertThat(first.isInt()).isTrue();
        assertThat(wire(RequestOptions.builder().seed(seed).build()).path("generationConfig").path("seed")).isEqualTo(first);
        assertThat(wire(RequestOptions.builder().seed(-3L).build()).path("generationConfig").path("seed").asInt()).isEqualTo(-3);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            // model,                 effort,  budget, summary, thinkingBudget, thinkingLevel, includeThoughts
            "gemini-2.5-flash,        null,    5000,   null,    5000,           null,          true",
            "gemini-3-pro-preview,    null,    5000,   false,   5000,           null,          false",
            "gemini-3-pro-preview,    high,    null,   null,    null,           high,          true",
            "gemini-3-flash,          none,    null,   null,    null,           minimal,       null",
            "gemini-3-flash,          xhigh,   null,   true,    null,           high,          true",
            "gemini-2.5-flash,        low,     null,   null,    2048,           null,          true",
            "gemini-2.5-flash,        none,    null,   null,    0,              null,          null",
            "gemini-flash-latest,     medium,  null,   null,    8192,           null,          true",
            "gemini-2.5-pro,          null,    null,   true,    null,           null,          true"})
    void should_map_reasoning_options_to_the_thinking_config_the_model_generation_takes(
            String model, String effort, Integer budget, Boolean summary, Integer thinkingBudget, String level, Boolean include) {
        JsonNode thinking = wire(model, RequestOptions.builder().reasoning(new ReasoningOptions(effort, budget, summary)).build(),
                ChatMessage.user("hi")).path("generationConfig").path("thinkingConfig");

        assertThat(thinking.has("thinkingBudget") ? thinking.path("thinkingBudget").asInt() : null).isEqualTo(thinkingBudget);
        assertThat(thinking.has("thinkingLevel") ? thinking.path("thinkingLevel").asText() : null).isEqualTo(level);
        assertThat(thinking.has("includeThoughts") ? thinking.path("includeThoughts").asBoolean() : null).isEqualTo(include);
        assertThat(thinking.has("thinkingBudget") && thinking.has("thinkingLevel")).as("Gemini refuses both at once").isFalse();
    }

    @Test
    void should_put_system_messages_into_the_system_instruction() {
        JsonNode request = wire("gemini-2.5-flash", null, ChatMessage.system("Be brief."), ChatMessage.user("hi"),
                ChatMessage.system("Answer in French."));

        assertThat(request.path("systemInstruction")).isEqualTo(json("{\"parts\": [{\"text\": \"Be brief.\"}, {\"text\": \"Answer in French.\"}]}"));
        assertThat(request.path("contents")).isEqualTo(json("[{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}]"));
    }
}
