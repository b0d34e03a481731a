package io.chatai.core.message;

import java.util.List;

/**
 * What to ask the model, independent of any provider's wire format. Immutable.
 *
 * @param model       the model name as the upstream knows it (after the channel's mapping)
 * @param temperature null leaves the provider's default
 * @param topP        null leaves the provider's default
 * @param maxTokens   null leaves the provider's default (Anthropic requires one; its adapter supplies it)
 */
public record ModelRequest(String model, List<ChatMessage> messages, Double temperature, Double topP, Integer maxTokens) {
    public ModelRequest {
        messages = List.copyOf(messages);
    }

    public ModelRequest withModel(String upstreamModel) {
        return new ModelRequest(upstreamModel, messages, temperature, topP, maxTokens);
    }
}
