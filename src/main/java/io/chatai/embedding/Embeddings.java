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

    /**
     * Starts embedding one text, so a caller can do other work meanwhile; this default embeds it at once.
     * A failure is thrown by {@link Pending#await}, as {@link #embed} would throw it.
     */
    default Pending start(String text) {
        try {
            float[] vector = embed(List.of(text))[0];
            return Pending.of(() -> vector);
        } catch (RuntimeException e) {
            return Pending.failed(e);
        }
    }

    /** One text's embedding under way. Thread-safe. */
    interface Pending {
        /**
         * The vector, waiting for it if need be.
         *
         * @throws io.chatai.core.ApiException as {@link #embed} does
         * @throws io.chatai.core.CallCancelledException when it was cancelled first
         */
        float[] await();

        /** Drops the text if it still waits for a thread (an inference under way finishes, unread). */
        void cancel();

        /** A pending embedding that is {@code vector}'s answer, with nothing to cancel. */
        static Pending of(java.util.function.Supplier<float[]> vector) {
            return new Pending() {
                @Override
                public float[] await() {
                    return vector.get();
                }

                @Override
                public void cancel() {
                }
            };
        }

        /** A pending embedding that already failed: {@link #await} throws {@code failure}. */
        static Pending failed(RuntimeException failure) {
            return of(() -> {
                throw failure;
            });
        }
    }

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
