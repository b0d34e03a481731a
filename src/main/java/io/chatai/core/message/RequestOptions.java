package io.chatai.core.message;

import java.util.List;

/**
 * Everything besides the messages that shapes an answer. Null means "the provider's default"; built by
 * name with {@link #builder()} or {@link #toBuilder()}. Immutable.
 *
 * @param maxTokens  the most output tokens (OpenAI {@code max_completion_tokens}, Anthropic {@code max_tokens},
 *                   Gemini {@code maxOutputTokens})
 * @param stop       stop sequences, empty for none
 * @param tools      functions the model may call, empty for none
 * @param n          how many choices (only OpenAI-type upstreams offer more than one)
 */
public record RequestOptions(Double temperature, Double topP, Integer topK, Integer maxTokens, List<String> stop, Long seed,
                             Double presencePenalty, Double frequencyPenalty, List<ToolSpec> tools, ToolChoice toolChoice,
                             Boolean parallelToolCalls, ResponseFormat responseFormat, ReasoningOptions reasoning,
                             Boolean logprobs, Integer topLogprobs, Integer n) {
    public static final RequestOptions NONE = builder().build();

    public RequestOptions {
        stop = stop == null ? List.of() : List.copyOf(stop);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().temperature(temperature).topP(topP).topK(topK).maxTokens(maxTokens).stop(stop).seed(seed)
                .presencePenalty(presencePenalty).frequencyPenalty(frequencyPenalty).tools(tools).toolChoice(toolChoice)
                .parallelToolCalls(parallelToolCalls).responseFormat(responseFormat).reasoning(reasoning)
                .logprobs(logprobs).topLogprobs(topLogprobs).n(n);
    }

    /** Whether the request offers tools and does not forbid calling them. */
    public boolean offersTools() {
        return !tools.isEmpty() && !(toolChoice instanceof ToolChoice.None);
    }

    /** Builds {@link RequestOptions} by name; not thread-safe. */
    public static final class Builder {
        private Double temperature;
        private Double topP;
        private Integer topK;
        private Integer maxTokens;
        private List<String> stop = List.of();
        private Long seed;
        private Double presencePenalty;
        private Double frequencyPenalty;
        private List<ToolSpec> tools = List.of();
        private ToolChoice toolChoice;
        private Boolean parallelToolCalls;
        private ResponseFormat responseFormat;
        private ReasoningOptions reasoning;
        private Boolean logprobs;
        private Integer topLogprobs;
        private Integer n;

        private Builder() {
        }

        public Builder temperature(Double value) { temperature = value; return this; }
        public Builder topP(Double value) { topP = value; return this; }
        public Builder topK(Integer value) { topK = value; return this; }
        public Builder maxTokens(Integer value) { maxTokens = value; return this; }
        public Builder stop(List<String> value) { stop = value; return this; }
        public Builder seed(Long value) { seed = value; return this; }
        public Builder presencePenalty(Double value) { presencePenalty = value; return this; }
        public Builder frequencyPenalty(Double value) { frequencyPenalty = value; return this; }
        public Builder tools(List<ToolSpec> value) { tools = value; return this; }
        public Builder toolChoice(ToolChoice value) { toolChoice = value; return this; }
        public Builder parallelToolCalls(Boolean value) { parallelToolCalls = value; return this; }
        public Builder responseFormat(ResponseFormat value) { responseFormat = value; return this; }
        public Builder reasoning(ReasoningOptions value) { reasoning = value; return this; }
        public Builder logprobs(Boolean value) { logprobs = value; return this; }
        public Builder topLogprobs(Integer value) { topLogprobs = value; return this; }
        public Builder n(Integer value) { n = value; return this; }

        public RequestOptions build() {
            return new RequestOptions(temperature, topP, topK, maxTokens, stop, seed, presencePenalty, frequencyPenalty,
                    tools, toolChoice, parallelToolCalls, responseFormat, reasoning, logprobs, topLogprobs, n);
        }
    }
}
