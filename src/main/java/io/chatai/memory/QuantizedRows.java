package io.chatai.memory;

/**
 * An int8 copy of a {@link VectorSet}'s unit rows, with for each row a proven bound on how far its approximate
 * score can be from the exact one, so a ranking can skip the rows that cannot reach the best ones and compute
 * exact scores for the few that can. Rows are quantized with one scale each ({@code row ≈ scale × code}, codes
 * in -127..127) and stored in blocks of {@value #BLOCK} rows, dimension-major inside a block: the approximate
 * pass is then an element-wise loop ({@code score[r] += code[r] × query[d]}) that C2 turns into SIMD on plain
 * Java, unlike a dot product's reduction. Immutable; safe to share between threads.
 *
 * <p>The bound, for a row x (the float unit row), its quantization x̂ = s·c, its residual e = x − x̂ and a
 * float query y: x·y = s·(c·y) + e·y, so |x·y − s·(c·y)| ≤ ‖e‖‖y‖ (Cauchy–Schwarz). Float arithmetic adds
 * at most γ·s‖c‖‖y‖ to the approximate pass (a sum of {@code D} products, γ = D·u/(1 − D·u), u = 2⁻²⁴) and
 * at most γ‖x‖‖y‖ to the exact dot product the ranking compares with. Each row keeps
 * {@code (‖e‖ + γ·(s‖c‖ + ‖x‖))} rounded up; a query multiplies it by its own norm.
 */
final class QuantizedRows {
    /** Rows per block: a block's scores (16 kB of floats) stay in the L1 cache while its codes stream past. */
    static final int BLOCK = 4096;

    private final int size;
    private final int dimensions;
    private final byte[] codes;
    private final float[] scales;
    private final float[] bounds;

    private QuantizedRows(int size, int dimensions, byte[] codes, float[] scales, float[] bounds) {
        this.size = size;
        this.dimensions = dimensions;
        this.codes = codes;
        this.scales = scales;
        this.bounds = bounds;
    }

    /** Quantizes {@code size} rows of {@code dimensions} floats; null when a row is not finite (no bound holds). */
    static QuantizedRows of(float[] rows, int size, int dimensions) {
        byte[] codes = new byte[size * dimensions];
        float[] scales = new float[size];
        float[] bounds = new float[size];
        double gamma = gamma(dimensions);
        for (int r = 0; r < size; r++) {
            int base = r * dimensions;
            float max = 0;
            for (int d = 0; d < dimensions; d++) {
                float value = rows[base + d];
                if (!Float.isFinite(value)) {
                    return null;
                }
                max = Math.max(max, Math.abs(value));
            }
            float scale = max / 127;
            double residual = 0;
            double codeNorm = 0;
            double rowNorm = 0;
            int blockStart = r - r % BLOCK;
            int blockRows = Math.min(BLOCK, size - blockStart);
            int at = blockStart * dimensions + r % BLOCK;
            for (int d = 0; d < dimensions; d++) {
                float value = rows[base + d];
                int code = scale == 0 ? 0 : Math.clamp(Math.round(value / scale), -127, 127);
                codes[at + d * blockRows] = (byte) code;
                double error = value - (double) scale * code;
                residual += error * error;
                codeNorm += (double) code * code;
                rowNorm += (double) value * value;
            }
            double bound = Math.sqrt(residual) + gamma * (scale * Math.sqrt(codeNorm) + Math.sqrt(rowNorm));
            // A relative margin for the rounding of the square roots and of this sum, then up to the next float.
            scales[r] = scale;
            bounds[r] = Math.nextUp((float) (bound * (1 + 0x1p-20)));
        }
        return new QuantizedRows(size, dimensions, codes, scales, bounds);
    }

    /** The relative error bound γ of a float sum of {@code terms} products. */
    static double gamma(int terms) {
        double nu = (terms + 2) * 0x1p-24;
        return nu / (1 - nu);
    }

    /**
     * Each row's float sum {@code Σ code·query} into {@code scores} (length {@link #size}); times the row's
     * {@link #scale} (in double), it is within {@link #bound} × ‖query‖ of the row's exact score.
     */
    void approximate(float[] query, float[] scores) {
        for (int blockStart = 0; blockStart < size; blockStart += BLOCK) {
            int blockRows = Math.min(BLOCK, size - blockStart);
            java.util.Arrays.fill(scores, blockStart, blockStart + blockRows, 0f);
            int offset = blockStart * dimensions;
            int d = 0;
            for (; d + 3 < dimensions; d += 4) {
                accumulate4(scores, blockStart, codes, offset + d * blockRows, blockRows, query[d], query[d + 1],
                        query[d + 2], query[d + 3]);
            }
            for (; d < dimensions; d++) {
                accumulate(scores, blockStart, codes, offset + d * blockRows, blockRows, query[d]);
            }
        }
    }

    // Four dimensions of one block: an element-wise loop over distinct arrays, which C2 vectorizes; four at a
    // time load and store each score a quarter as often (the sum's order changes, its error bound does not).
    private static void accumulate4(float[] scores, int at, byte[] codes, int from, int count, float q0, float q1,
                                    float q2, float q3) {
        for (int i = 0; i < count; i++) {
            scores[at + i] += (codes[from + i] * q0 + codes[from + count + i] * q1)
                    + (codes[from + 2 * count + i] * q2 + codes[from + 3 * count + i] * q3);
        }
    }

    // One dimension of one block (the dimensions left over after the groups of four).
    private static void accumulate(float[] scores, int at, byte[] codes, int from, int count, float q) {
        for (int i = 0; i < count; i++) {
            scores[at + i] += codes[from + i] * q;
        }
    }

    float scale(int row) {
        return scales[row];
    }

    /** The bound for a query of norm 1: multiply by the query's norm. */
    float bound(int row) {
        return bounds[row];
    }

    int size() {
        return size;
    }

    /** Bytes held, for the cache's weigher. */
    long weight() {
        return 48 + codes.length + 8L * size;
    }
}
