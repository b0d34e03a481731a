package io.chatai.embedding;

import java.util.List;

/**
 * Turns texts into vectors whose cosine similarity measures how close their meanings are: what features
 * such as long-term memory use to compare texts. Implementations are thread-safe.
 */
public interface Embeddings {

    /**
     * One vector per text, in order, each of {@link #dimensions()} numbers.
     *
     * @throws io.chatai.core.ApiException when a text cannot be embedded or the model is unavailable or busy
     */
    float[][] embed(List<String> texts);

    /** The length of every vector. */
    int dimensions();

    /** The cosine of the angle between two vectors of one model: 1 for the same direction, 0 for unrelated. */
    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " dimensions cannot be compared");
        }
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
    }
}
