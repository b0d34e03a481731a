package io.chatai.embedding;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.provider.EmbeddingAnswer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's embeddings response: {@code {"object": "list", "data": [{"object": "embedding", "index",
 * "embedding"}], "model", "usage": {"prompt_tokens", "total_tokens"}}}, with {@code model} the name the caller
 * asked for. Stateless.
 */
final class EmbeddingFormat {
    private EmbeddingFormat() {
    }

    /** The body for the caller: a passthrough answer as it came, but for {@code model}; vectors in OpenAI's shape. */
    static Object body(EmbeddingRequest request, EmbeddingCalls.Result result) {
        return switch (result.answer()) {
            case EmbeddingAnswer.Passthrough passthrough -> {
                // A shallow copy: the upstream's fields in their order, sharing the (large) data, model replaced.
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                passthrough.body().properties().forEach(field -> body.set(field.getKey(), field.getValue()));
                body.put("model", request.model());
                yield body;
            }
            case EmbeddingAnswer.Vectors vectors -> list(request.model(), vectors.vectors(), request.base64(), result.promptTokens());
        };
    }

    static Map<String, Object> list(String model, List<float[]> vectors, boolean base64, int promptTokens) {
        List<Map<String, Object>> data = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("object", "embedding");
            item.put("index", i);
            item.put("embedding", base64 ? base64(vectors.get(i)) : vectors.get(i));
            data.add(item);
        }
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", promptTokens);
        usage.put("total_tokens", promptTokens);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        body.put("model", model);
        body.put("usage", usage);
        return body;
    }

    /** The vector as OpenAI encodes it: its float32s, little-endian, in base64. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
