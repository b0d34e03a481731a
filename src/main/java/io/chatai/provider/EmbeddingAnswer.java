package io.chatai.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An upstream's embeddings, either as the OpenAI answer it sent (passed on to an OpenAI caller as it is)
 * or as vectors that the caller's format is built from. Immutable once built: nobody changes a passthrough
 * body after the adapter made it (a front that rewrites a field copies it first).
 */
public sealed interface EmbeddingAnswer {

    /** The input tokens the upstream reported, or null when it reported none. */
    Integer promptTokens();

    /** The vectors, in input order, whatever form the upstream sent them in. */
    List<float[]> vectors();

    /** An OpenAI embeddings response, kept whole: every field the upstream sent reaches the caller. */
    record Passthrough(ObjectNode body, Integer promptTokens) implements EmbeddingAnswer {
        @Override
        public List<float[]> vectors() {
            List<float[]> vectors = new ArrayList<>();
            for (JsonNode item : body.path("data")) {
                vectors.add(vector(item.path("embedding")));
            }
            return vectors;
        }

        /** A list of numbers, or OpenAI's base64 of little-endian float32s. */
        private static float[] vector(JsonNode embedding) {
            if (embedding.isTextual()) {
                ByteBuffer bytes;
                try {
                    bytes = ByteBuffer.wrap(Base64.getDecoder().decode(embedding.textValue())).order(ByteOrder.LITTLE_ENDIAN);
                } catch (IllegalArgumentException e) {
                    throw WireSupport.broken("an embedding is neither numbers nor base64");
                }
                float[] vector = new float[bytes.remaining() / Float.BYTES];
                bytes.asFloatBuffer().get(vector);
                return vector;
            }
            float[] vector = new float[embedding.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = embedding.get(i).floatValue();
            }
            return vector;
        }
    }

    /** Vectors from an upstream with its own wire format (or the built-in model). */
    record Vectors(List<float[]> vectors, Integer promptTokens) implements EmbeddingAnswer {
        public Vectors {
            vectors = List.copyOf(vectors);
        }
    }
}
