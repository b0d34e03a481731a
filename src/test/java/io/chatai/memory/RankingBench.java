package io.chatai.memory;

import java.util.Arrays;
import java.util.Random;

/**
 * Benchmark (not a test): ranking 10,000 rows of 384 dimensions for a turn's top 20, the int8 pass with exact
 * rescoring ({@link MemoryRecall#rank}) against scoring every row in float ({@link MemoryRecall#rankExactly}),
 * interleaved in one JVM (one pass of each per round, 300 rounds after 200 of warm-up). Run with
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.chatai.memory.RankingBench};
 * see bench/README.md.
 */
public final class RankingBench {
    private RankingBench() {
    }

    public static void main(String[] args) {
        int rows = 10_000;
        int dimensions = 384;
        Random random = new Random(42);
        VectorSet.Builder builder = new VectorSet.Builder();
        for (int i = 0; i < rows; i++) {
            builder.add(String.format("mem_%05d", i), "fact " + i, gaussian(random, dimensions));
        }
        VectorSet set = builder.build();
        int rounds = 500;
        int warmUp = 200;
        long[] int8 = new long[rounds - warmUp];
        long[] exact = new long[rounds - warmUp];
        long[] rescored = new long[rounds - warmUp];

        for (int round = 0; round < rounds; round++) {
            float[] query = gaussian(random, dimensions);
            long t0 = System.nanoTime();
            var fast = MemoryRecall.rank(set, query, 20);
            long t1 = System.nanoTime();
            var slow = MemoryRecall.rankExactly(set, query, 20);
            long t2 = System.nanoTime();

            if (!fast.equals(slow)) {
                throw new IllegalStateException("the int8 pass changed a ranking");
            }
            if (round >= warmUp) {
                rescored[round - warmUp] = rescored(set, query, 20);
                int8[round - warmUp] = t1 - t0;
                exact[round - warmUp] = t2 - t1;

            }
        }
        System.out.printf("%n| rank 10,000 x 384, top 20 | min ms | p50 ms | p90 ms |%n|---|---:|---:|---:|%n");
        row("float scan of every row (before)", exact);
        row("int8 pass + exact rescoring (after)", int8);
        long[] counts = rescored.clone();
        Arrays.sort(counts);
        System.out.printf("rows scored exactly after the int8 pass: median %d, max %d of %,d%n", counts[counts.length / 2],
                counts[counts.length - 1], rows);

    }

    private static long rescored(VectorSet set, float[] query, int k) {
        double norm = 0;
        for (float value : query) {
            norm += (double) value * value;
        }
        float[] unit = new float[query.length];
        for (int d = 0; d < query.length; d++) {
            unit[d] = (float) (query[d] / Math.sqrt(norm));
        }
        long count = 0;
        for (boolean candidate : MemoryRecall.candidates(set, unit, k)) {
            count += candidate ? 1 : 0;
        }
        return count;
    }

    private static float[] gaussian(Random random, int dimensions) {
        float[] vector = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return vector;
    }

    private static void row(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("| %s | %.3f | %.3f | %.3f |%n", name, sorted[0] / 1e6, sorted[sorted.length / 2] / 1e6,
                sorted[sorted.length * 9 / 10] / 1e6);
    }
}
