package io.chatai.gateway;

import static io.chatai.gateway.Params.absent;
import static io.chatai.gateway.Params.bool;
import static io.chatai.gateway.Params.integer;
import static io.chatai.gateway.Params.number;
import static io.chatai.gateway.Params.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A validated {@code POST /v1/responses} body: the options read into the rich model, the input kept as JSON
 * until the stored chain it continues ({@code previous_response_id}) is known, and the caller's text for a
 * channel that takes the Responses API itself. Hints without an equivalent ({@code prompt_cache_key},
 * {@code metadata}, {@code service_tier}, {@code text.verbosity}, {@code truncation}, {@code safety_identifier})
 * are echoed, not sent to translated channels; fields that change the answer and cannot be carried
 * ({@code background}, {@code conversation}, {@code top_logprobs}, {@code prompt}) are a 400. Immutable.
 *
 * @param user               the {@code user} for the per-user limit (a hash of it past 64 characters), or null
 * @param includeEncrypted   whether {@code include} asks for {@code reasoning.encrypted_content}
 * @param previousResponseId the stored response this one continues, or null
 */
record ResponsesRequest(String model, ObjectNode raw, String body, JsonNode input, String instructions,
                        ResponsesTools tools, RequestOptions options, boolean stream, boolean store,
                        String previousResponseId, boolean includeEncrypted, String user) {
    private static final Set<String> EFFORTS = Set.of("none", "minimal", "low", "medium", "high", "xhigh");

    static ResponsesRequest parse(String body, ObjectNode raw) {
        String model = Params.requiredString(raw.get("model"), "model", 256);
        if (model.isEmpty()) {
            throw Params.invalid("model", "Invalid 'model': a model name is required.");
        }
        for (String field : List.of("background", "conversation", "prompt", "top_logprobs")) {
            JsonNode value = raw.get(field);
            if (!absent(value) && !(value.isBoolean() && !value.booleanValue())) {
                throw ResponsesInput.unsupported(field, field);
            }
        }
        ResponsesTools tools = ResponsesTools.parse(raw);
        RequestOptions options = RequestOptions.builder()
                .temperature(number(raw.get("temperature"), "temperature", 0, 2))
                .topP(number(raw.get("top_p"), "top_p", 0, 1))
                .maxTokens(integer(raw.get("max_output_tokens"), "max_output_tokens", 1, Integer.MAX_VALUE))
                .tools(tools.specs())
                .toolChoice(tools.choice())
                .parallelToolCalls(bool(raw.get("parallel_tool_calls"), "parallel_tool_calls"))
                .responseFormat(tools.format())
                .reasoning(reasoning(raw.get("reasoning")))
                .build();
        String previous = string(raw.get("previous_response_id"), "previous_response_id", 256);
        string(raw.get("prompt_cache_key"), "prompt_cache_key", 1024);
        metadata(raw.get("metadata"));
        return new ResponsesRequest(model, raw, body, raw.get("input"), string(raw.get("instructions"), "instructions", Integer.MAX_VALUE),
                tools, options, Boolean.TRUE.equals(bool(raw.get("stream"), "stream")),
                !Boolean.FALSE.equals(bool(raw.get("store"), "store")), previous, includes(raw.get("include")),
                CompletionRequest.user(raw.get("user")));
    }

    /** The model request for this input after {@code context} (the stored chain it continues, oldest first). */
    ModelRequest modelRequest(List<ChatMessage> context, List<ChatMessage> input) {
        List<ChatMessage> messages = new ArrayList<>();
        if (instructions != null && !instructions.isEmpty()) {
            messages.add(new ChatMessage.System(instructions)); // never carried over from the chain, as OpenAI does
        }
        messages.addAll(context);
        messages.addAll(input);
        return new ModelRequest(model, messages, options);
    }

    /** The new input items in the rich model. */
    List<ChatMessage> input(List<ChatMessage> context) {
        List<ChatMessage> messages = ResponsesInput.parse(input, context);
        if (messages.isEmpty() && context.isEmpty()) {
            throw Params.missing("input");
        }
        return messages;
    }

    private static ReasoningOptions reasoning(JsonNode reasoning) {
        if (absent(reasoning)) {
            return null;
        }
        if (!reasoning.isObject()) {
            throw Params.wrongType("reasoning", "an object", reasoning);
        }
        String effort = string(reasoning.get("effort"), "reasoning.effort", 32);
        if (effort != null && !EFFORTS.contains(effort)) {
            throw Params.invalid("reasoning.effort", "Invalid value: '" + effort
                    + "'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high' and 'xhigh'.");
        }
        String summary = string(reasoning.get("summary"), "reasoning.summary", 32);
        if (summary == null) {
            summary = string(reasoning.get("generate_summary"), "reasoning.generate_summary", 32);
        }
        if (effort == null && summary == null) {
            return null;
        }
        return new ReasoningOptions(effort, null, summary == null ? null : !summary.equals("none"));
    }

    private static boolean includes(JsonNode include) {
        if (absent(include)) {
            return false;
        }
        if (!include.isArray()) {
            throw Params.wrongType("include", "an array of strings", include);
        }
        boolean encrypted = false;
        for (int i = 0; i < include.size(); i++) {
            encrypted |= "reasoning.encrypted_content".equals(Params.requiredString(include.get(i), "include[" + i + "]", 128));
        }
        return encrypted;
    }

    /** OpenAI's bounds: 16 pairs, keys up to 64 characters, values up to 512. */
    private static void metadata(JsonNode metadata) {
        if (absent(metadata)) {
            return;
        }
        if (!metadata.isObject()) {
            throw Params.wrongType("metadata", "an object", metadata);
        }
        if (metadata.size() > 16) {
            throw Params.invalid("metadata", "Invalid 'metadata': at most 16 pairs, got " + metadata.size() + ".");
        }
        metadata.properties().forEach(e -> {
            Params.text("metadata", e.getKey(), 64);
            Params.requiredString(e.getValue(), "metadata." + e.getKey(), 512);
        });
    }
}
