package io.chatai.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The int8 pass of {@link MemoryRecall#rank} must never change a ranking: same ids, order and scores as scoring every row. */
class QuantizedRankingTest {
    private static final int DIMENSIONS = 384;

    private static float[] gaussian(Random random, int dimensions) {
        float[] vector = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return vector;
    }

    private static void assertSameRanking(VectorSet set, float[] query, int limit) {
        List<MemoryRecall.Scored> exact = MemoryRecall.rankExactly(set, query, limit);
        List<MemoryRecall.Scored> ranked = MemoryRecall.rank(set, query, limit);
        assertThat(ranked).as("limit %d", limit).containsExactlyElementsOf(exact); // records: ids and scores
    }

    private static int candidates(VectorSet set, float[] query, int k) {
        boolean[] candidate = MemoryRecall.candidates(set, query, k);
        assertThat(candidate).as("the int8 pass ran").isNotNull();
        int count = 0;
        for (boolean c : candidate) {
            count += c ? 1 : 0;
        }
        return count;
    }

    @Test
    void should_rank_random_embeddings_exactly_as_the_float_scan_while_scoring_few_rows_exactly() {
        Random random = new Random(20);
        VectorSet.Builder builder = new VectorSet.Builder();
        for (int i = 0; i < 10_000; i++) {
            builder.add(String.format("m%05d", i), "t" + i, gaussian(random, DIMENSIONS));
        }
        VectorSet set = builder.build();
        assertThat(set.quantized()).isNotNull();
        for (int q = 0; q < 40; q++) {
            float[] query = gaussian(random, DIMENSIONS);
            for (int limit : new int[] {1, 20, 100, 2_000}) {
                assertSameRanking(set, query, limit);
            }
        }
        // The point of the pass: a turn's top 20 scores a small fraction of the rows exactly.
        float[] unit = gaussian(new Random(1), DIMENSIONS);
        float norm = 0;
        for (float v : unit) {
            norm += v * v;
        }
        for (int d = 0; d < DIMENSIONS; d++) {
            unit[d] /= (float) Math.sqrt(norm);
        }
        assertThat(candidates(set, unit, 20)).isBetween(20, 500);
    }

    @Test
    void should_keep_the_exact_order_of_near_ties_that_int8_cannot_tell_apart() {
        Random random = new Random(6);
        float[] base = gaussian(random, DIMENSIONS);
        VectorSet.Builder builder = new VectorSet.Builder();
        for (int i = 0; i < 5_000; i++) {
            float[] vector = base.clone();
            if (i % 7 != 0) { // every seventh an exact duplicate: ties broken by id, as the float scan does
                float size = i % 3 == 0 ? 1e-6f : i % 3 == 1 ? 1e-4f : 1e-2f;
                for (int d = 0; d < DIMENSIONS; d++) {
                    vector[d] += size * (float) random.nextGaussian();
                }
            }
            builder.add(String.format("n%05d", (i * 7919) % 5_000), "t" + i, vector);
        }
        for (int i = 0; i < 5_000; i++) {
            builder.add(String.format("r%05d", i), "r" + i, gaussian(random, DIMENSIONS));
        }
        VectorSet set = builder.build();
        assertThat(set.quantized()).isNotNull();
        float[] near = base.clone();
        for (int d = 0; d < DIMENSIONS; d++) {
            near[d] += 1e-3f * (float) random.nextGaussian();
        }
        for (float[] query : List.of(base, near, gaussian(random, DIMENSIONS))) {
            for (int limit : new int[] {1, 3, 20, 700}) {
                assertSameRanking(set, query, limit);
            }
        }
    }

    @Test
    void should_rank_rows_with_a_few_large_components_and_zero_rows_exactly() {
        Random random = new Random(3);
        VectorSet.Builder builder = new VectorSet.Builder();
        for (int i = 0; i < 3_000; i++) {
            float[] vector = gaussian(random, 50);
            vector[i % 50] *= 40; // one component dominates: the scale is coarse for all the others
            if (i % 500 == 0) {
                vector = new float[50];
            }
            builder.add("s" + i, "s" + i, vector);
        }
        VectorSet set = builder.build();
        for (int q = 0; q < 20; q++) {
            float[] query = gaussian(random, 50);
            query[q] *= 30;
            for (int limit : new int[] {1, 20, 200}) {
                assertSameRanking(set, query, limit);
            }
        }
    }

    @Test
    void should_fall_back_to_the_float_scan_for_a_row_that_is_not_finite() {
        VectorSet.Builder builder = new VectorSet.Builder();
        Random random = new Random(4);
        for (int i = 0; i < 200; i++) {
            builder.add("f" + i, "f" + i, gaussian(random, 8));
        }
        builder.add("nan", "nan", new float[] {Float.NaN, 1, 0, 0, 0, 0, 0, 0});
        VectorSet set = builder.build();
        assertThat(set.quantized()).isNull();
        assertSameRanking(set, gaussian(random, 8), 5);
    }
}
