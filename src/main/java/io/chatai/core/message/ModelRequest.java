package io.chatai.core.message;

import java.util.List;

/**
 * What to ask the model, independent of any provider's wire format. Immutable.
 *
 * @param model the model name as the upstream knows it (after the channel's mapping)
 */
public record ModelRequest(String model, List<ChatMessage> messages, RequestOptions options) {
    public ModelRequest {
        messages = List.copyOf(messages);
        options = options == null ? RequestOptions.NONE : options;
    }

    /** A request with only the common sampling options. */
    public ModelRequest(String model, List<ChatMessage> messages, Double temperature, Double topP, Integer maxTokens) {
        this(model, messages, RequestOptions.builder().temperature(temperature).topP(topP).maxTokens(maxTokens).build());
    }

    public ModelRequest withModel(String upstreamModel) {
        return new ModelRequest(upstreamModel, messages, options);
    }

    public ModelRequest withOptions(RequestOptions newOptions) {
        return new ModelRequest(model, messages, newOptions);
    }

    public ModelRequest withMessages(List<ChatMessage> newMessages) {
        return new ModelRequest(model, newMessages, options);
    }
}
