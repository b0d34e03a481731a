package io.chatai.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;

/**
 * What an {@link Embedder} is asked for one upstream call. Immutable.
 *
 * @param model      the upstream's model name (after the channel's mapping)
 * @param inputs     how many vectors the answer must hold
 * @param texts      the inputs as text, computed on first use: token-array inputs are decoded only for an
 *                   upstream that takes text; may throw {@code ApiException} for inputs that cannot be decoded
 * @param dimensions the vector size asked for, or null for the model's own
 * @param openAiBody the caller's OpenAI request, for upstreams that take it as it is (never modified)
 */
public record EmbeddingCall(String model, int inputs, Supplier<List<String>> texts, Integer dimensions,
                            ObjectNode openAiBody) {
}
