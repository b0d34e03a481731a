package io.chatai.gateway;

import static io.chatai.gateway.Params.absent;
import static io.chatai.gateway.Params.bool;
import static io.chatai.gateway.Params.integer;
import static io.chatai.gateway.Params.number;
import static io.chatai.gateway.Params.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A validated {@code POST /v1/chat/completions} body: the whole OpenAI request, read into the rich model for
 * the channels that translate it, and kept as the caller's own text for the channels that relay it. Every
 * field is accepted, unknown ones too; a malformed one is a 400 naming it in {@code param}. Fields the rich
 * model cannot carry and that change the answer ({@code n} over 1, {@code logprobs}, {@code logit_bias},
 * audio, legacy functions...) are noted in {@code relayOnly}: only a relaying channel can honour them.
 * Hints without an equivalent ({@code service_tier}, {@code metadata}, {@code store}, {@code prediction},
 * {@code prompt_cache_key}, {@code safety_identifier}, {@code verbosity}) reach relaying channels only.
 * Immutable.
 *
 * @param body         the caller's JSON text, for relaying channels
 * @param includeUsage whether the caller asked for the usage chunk of a stream
 * @param user         the {@code user} for the per-user limit and usage records (a hash of it past 64 characters)
 * @param relayOnly    the first field only a relaying channel can honour, or null
 */
public record CompletionRequest(ModelRequest model, String body, boolean stream, boolean includeUsage, String user,
                                String relayOnly) {
    private static final Set<String> EFFORTS = Set.of("none", "minimal", "low", "medium", "high", "xhigh");
    private static final int MAX_USER = 64;

    public static CompletionRequest parse(String body, ObjectNode raw) {
        String model = Params.requiredString(raw.get("model"), "model", 256);
        if (model.isEmpty()) {
            throw Params.invalid("model", "Invalid 'model': a model name is required.");
        }
        OpenAiMessages.Parsed messages = OpenAiMessages.parse(raw.get("messages"));
        Integer maxTokens = integer(raw.get("max_completion_tokens"), "max_completion_tokens", 1, Integer.MAX_VALUE);
        Integer legacyMax = integer(raw.get("max_tokens"), "max_tokens", 1, Integer.MAX_VALUE);
        OpenAiTools tools = OpenAiTools.parse(raw);
        RequestOptions options = RequestOptions.builder()
                .temperature(number(raw.get("temperature"), "temperature", 0, 2))
                .topP(number(raw.get("top_p"), "top_p", 0, 1))
                .maxTokens(maxTokens != null ? maxTokens : legacyMax)
                .stop(stop(raw.get("stop")))
                .seed(integer(raw.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE))
                .presencePenalty(number(raw.get("presence_penalty"), "presence_penalty", -2, 2))
                .frequencyPenalty(number(raw.get("frequency_penalty"), "frequency_penalty", -2, 2))
                .tools(tools.tools())
                .toolChoice(tools.choice())
                .parallelToolCalls(bool(raw.get("parallel_tool_calls"), "parallel_tool_calls"))
                .responseFormat(tools.responseFormat())
                .reasoning(reasoning(raw.get("reasoning_effort")))
                .logprobs(bool(raw.get("logprobs"), "logprobs"))
                .topLogprobs(integer(raw.get("top_logprobs"), "top_logprobs", 0, 20))
                .n(integer(raw.get("n"), "n", 1, 128))
                .build();
        boolean stream = Boolean.TRUE.equals(bool(raw.get("stream"), "stream"));
        JsonNode streamOptions = raw.get("stream_options");
        if (!absent(streamOptions) && !streamOptions.isObject()) {
            throw Params.wrongType("stream_options", "an object", streamOptions);
        }
        boolean includeUsage = !absent(streamOptions)
                && Boolean.TRUE.equals(bool(streamOptions.get("include_usage"), "stream_options.include_usage"));
        String relayOnly = firstNonNull(messages.relayOnly(), tools.relayOnly(), relayOnly(raw, options));
        return new CompletionRequest(new ModelRequest(model, messages.messages(), options), body, stream, includeUsage,
                user(raw.get("user")), relayOnly);
    }

    /** The fields that change the answer and that the rich model (or its answer) has no room for. */
    private static String relayOnly(ObjectNode raw, RequestOptions options) {
        if (options.n() != null && options.n() > 1) {
            return "n"; // a translated answer has one choice
        }
        if (Boolean.TRUE.equals(options.logprobs())) {
            return "logprobs"; // a translated answer carries no log probabilities
        }
        JsonNode bias = raw.get("logit_bias");
        if (!absent(bias) && !(bias.isObject() && bias.isEmpty())) {
            return "logit_bias";
        }
        for (String field : List.of("audio", "web_search_options", "function_call")) {
            if (!absent(raw.get(field))) {
                return field;
            }
        }
        JsonNode functions = raw.get("functions");
        if (!absent(functions) && !(functions.isArray() && functions.isEmpty())) {
            return "functions";
        }
        JsonNode modalities = raw.get("modalities");
        if (!absent(modalities) && modalities.isArray()) {
            for (JsonNode modality : modalities) {
                if (!"text".equals(modality.asText())) {
                    return "modalities";
                }
            }
        }
        JsonNode effort = raw.get("reasoning_effort");
        if (!absent(effort) && !EFFORTS.contains(effort.textValue())) {
            return "reasoning_effort"; // a level this server does not know how to translate
        }
        return null;
    }

    private static List<String> stop(JsonNode stop) {
        if (absent(stop)) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(Params.text("stop", stop.textValue(), 4096));
        }
        if (!stop.isArray()) {
            throw Params.wrongType("stop", "a string or an array of strings", stop);
        }
        if (stop.size() > 64) {
            throw Params.invalid("stop", "Invalid 'stop': at most 64 sequences, got " + stop.size() + ".");
        }
        String[] sequences = new String[stop.size()];
        for (int i = 0; i < stop.size(); i++) {
            sequences[i] = Params.requiredString(stop.get(i), "stop[" + i + "]", 4096);
        }
        return List.of(sequences);
    }

    private static ReasoningOptions reasoning(JsonNode effort) {
        String value = string(effort, "reasoning_effort", 32);
        return value != null && EFFORTS.contains(value) ? new ReasoningOptions(value, null, null) : null;
    }

    /** The user as sent; a longer value (some clients send JSON there) counts through a hash of it, never failing. */
    static String user(JsonNode user) {
        String value = string(user, "user", Integer.MAX_VALUE);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.codePointCount(0, value.length()) <= MAX_USER) {
            return value;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
