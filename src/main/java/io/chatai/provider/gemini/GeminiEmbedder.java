package io.chatai.provider.gemini;

import static io.chatai.provider.WireSupport.broken;
import static io.chatai.provider.WireSupport.parse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Cancellation;
import io.chatai.core.Json;
import io.chatai.provider.Embedder;
import io.chatai.provider.EmbeddingAnswer;
import io.chatai.provider.EmbeddingCall;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.UpstreamResponse;
import io.chatai.provider.WireSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gemini embeddings ({@code POST {baseUrl}/v1beta/models/{model}:batchEmbedContents}): each input becomes
 * one {@code EmbedContentRequest} with {@code outputDimensionality} when the caller asked for
 * {@code dimensions}, sent in batches of at most {@value #MAX_BATCH} (Gemini's limit), and the answer's
 * {@code embeddings[].values} become the vectors. The key travels in {@code x-goog-api-key}, never in the
 * URL. Gemini reports no token usage for embeddings unless a {@code usageMetadata} comes back. Thread-safe.
 */
public final class GeminiEmbedder implements Embedder {
    /** Gemini refuses a batch of more requests than this. */
    static final int MAX_BATCH = 100;

    private final UpstreamHttp http;

    public GeminiEmbedder(UpstreamHttp http) {
        this.http = http;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record EmbedRequest(String model, Content content, Integer outputDimensionality) {
    }

    private record Content(List<Part> parts) {
    }

    private record Part(String text) {
    }

    private record BatchRequest(List<EmbedRequest> requests) {
    }

    @Override
    public EmbeddingAnswer embed(Upstream upstream, EmbeddingCall call, Cancellation cancellation) {
        String model = call.model().startsWith("models/") ? call.model().substring("models/".length()) : call.model();
        String url = WireSupport.join(upstream.baseUrl(), "/v1beta/models/" + GeminiWire.pathSegment(model) + ":batchEmbedContents");
        Map<String, String> headers = upstream.apiKey() == null ? Map.of() : Map.of("x-goog-api-key", upstream.apiKey());
        List<String> texts = call.texts().get();
        List<float[]> vectors = new ArrayList<>(texts.size());
        Integer promptTokens = 0;
        for (int start = 0; start < texts.size(); start += MAX_BATCH) {
            List<EmbedRequest> requests = texts.subList(start, Math.min(texts.size(), start + MAX_BATCH)).stream()
                    .map(text -> new EmbedRequest("models/" + model, new Content(List.of(new Part(text))), call.dimensions()))
                    .toList();
            try (var interrupt = cancellation.interruptCurrentThread();
                 UpstreamResponse response = http.postJson(upstream, url, headers, Json.write(new BatchRequest(requests)), false)) {
                JsonNode answer = parse(response.readBody(MAX_ANSWER_BYTES));
                JsonNode embeddings = answer.path("embeddings");
                if (!embeddings.isArray() || embeddings.size() != requests.size()) {
                    throw broken("the batchEmbedContents response holds " + (embeddings.isArray() ? embeddings.size() : "no")
                            + " embeddings for " + requests.size() + " requests");
                }
                for (JsonNode embedding : embeddings) {
                    vectors.add(values(embedding.path("values")));
                }
                JsonNode tokens = answer.path("usageMetadata").path("promptTokenCount");
                promptTokens = promptTokens != null && tokens.canConvertToInt() ? promptTokens + tokens.intValue() : null;
            }
        }
        return new EmbeddingAnswer.Vectors(vectors, promptTokens);
    }

    private static float[] values(JsonNode values) {
        if (!values.isArray() || values.isEmpty()) {
            throw broken("an embedding of the batchEmbedContents response has no values");
        }
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = values.get(i);
            if (!value.isNumber()) {
                throw broken("an embedding of the batchEmbedContents response holds a value that is not a number");
            }
            vector[i] = value.floatValue();
        }
        return vector;
    }
}
