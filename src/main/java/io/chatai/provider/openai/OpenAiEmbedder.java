package io.chatai.provider.openai;

import static io.chatai.provider.WireSupport.broken;
import static io.chatai.provider.WireSupport.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Cancellation;
import io.chatai.core.Json;
import io.chatai.provider.Embedder;
import io.chatai.provider.EmbeddingAnswer;
import io.chatai.provider.EmbeddingCall;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.UpstreamResponse;
import io.chatai.provider.WireSupport;
import java.util.Map;

/**
 * OpenAI embeddings ({@code POST {baseUrl}/embeddings}), spoken by OpenAI and the compatible servers
 * (vLLM, Ollama's {@code /v1}, llama.cpp, TEI). The caller's body goes through unchanged except
 * {@code model}, so every field it sent (token arrays, {@code dimensions}, {@code encoding_format},
 * fields of other servers) reaches the upstream; the answer comes back whole. Thread-safe.
 */
public final class OpenAiEmbedder implements Embedder {
    private final UpstreamHttp http;

    public OpenAiEmbedder(UpstreamHttp http) {
        this.http = http;
    }

    @Override
    public EmbeddingAnswer embed(Upstream upstream, EmbeddingCall call, Cancellation cancellation) {
        // A shallow copy with this channel's model: the caller's body (inputs shared, not copied) serves every attempt.
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        call.openAiBody().properties().forEach(field -> body.set(field.getKey(), field.getValue()));
        body.put("model", call.model());
        String url = WireSupport.join(upstream.baseUrl(), "/embeddings");
        // Keyless servers (a local Ollama, llama.cpp) get no Authorization header rather than "Bearer null".
        Map<String, String> headers = upstream.apiKey() == null ? Map.of() : Map.of("Authorization", "Bearer " + upstream.apiKey());
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = http.postJson(upstream, url, headers, Json.write(body), false)) {
            JsonNode answer = parse(response.readBody(MAX_ANSWER_BYTES));
            if (!(answer instanceof ObjectNode object) || !answer.path("data").isArray()) {
                throw broken("the embeddings response has no data array");
            }
            if (answer.path("data").size() != call.inputs()) {
                throw broken("the embeddings response holds " + answer.path("data").size() + " embeddings for "
                        + call.inputs() + " inputs");
            }
            for (JsonNode item : answer.path("data")) {
                JsonNode embedding = item.path("embedding");
                if (!embedding.isArray() && !embedding.isTextual()) {
                    throw broken("an item of the embeddings response has no embedding");
                }
            }
            JsonNode tokens = answer.path("usage").path("prompt_tokens");
            return new EmbeddingAnswer.Passthrough(object, tokens.canConvertToInt() ? tokens.intValue() : null);
        }
    }
}
