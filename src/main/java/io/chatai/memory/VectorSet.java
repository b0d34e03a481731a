package io.chatai.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * The stored vectors of one scope (or one listing filter) as one contiguous array of unit-length rows, with
 * each row's memory id and normalized text: ranking is then a pass of dot products over one array, with no
 * object per memory to chase, first over the rows' int8 copy ({@link QuantizedRows}), then exactly over the
 * few rows that may rank. Rows of another length than the first (a vector of another model, a damaged blob)
 * are left out. Immutable once built; safe to share between threads.
 */
public final class VectorSet {
    static final VectorSet EMPTY = new VectorSet(new String[0], new String[0], new float[0], 0, null);

    private final String[] ids;
    private final String[] normalized;
    private final float[] rows;
    private final int dimensions;
    private final QuantizedRows quantized;

    private VectorSet(String[] ids, String[] normalized, float[] rows, int dimensions, QuantizedRows quantized) {
        this.ids = ids;
        this.normalized = normalized;
        this.rows = rows;
        this.dimensions = dimensions;
        this.quantized = quantized;
    }

    public int size() {
        return ids.length;
    }

    public int dimensions() {
        return dimensions;
    }

    /** The rows' int8 copy with its error bounds, or null when a row is not finite (rank exactly then). */
    QuantizedRows quantized() {
        return quantized;
    }

    String id(int row) {
        return ids[row];
    }

    String normalized(int row) {
        return normalized[row];
    }

    /** The dot product of row {@code row} with {@code query} (its cosine, when the query is unit length too). */
    double dot(int row, float[] query) {
        int base = row * dimensions;
        // Four partial sums: independent chains the CPU overlaps, rather than one long dependency.
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < dimensions; i += 4) {
            s0 += rows[base + i] * query[i];
            s1 += rows[base + i + 1] * query[i + 1];
            s2 += rows[base + i + 2] * query[i + 2];
            s3 += rows[base + i + 3] * query[i + 3];
        }
        for (; i < dimensions; i++) {
            s0 += rows[base + i] * query[i];
        }
        return (double) s0 + s1 + s2 + s3;
    }

    /** Bytes this set holds, for the cache's weigher. */
    long weight() {
        long strings = 0;
        for (int i = 0; i < ids.length; i++) {
            strings += 2L * (ids[i].length() + normalized[i].length()) + 96;
        }
        return 64 + 4L * rows.length + strings + (quantized == null ? 0 : quantized.weight());
    }

    /** Collects rows one by one (in the order they should rank on ties: newest first), then {@link #build}s. */
    static final class Builder {
        private final List<String> ids = new ArrayList<>();
        private final List<String> normalized = new ArrayList<>();
        private final List<float[]> vectors = new ArrayList<>();
        private int dimensions = -1;

        Builder add(String id, String normalizedText, float[] vector) {
            if (dimensions < 0 && vector.length > 0) {
                dimensions = vector.length;
            }
            if (vector.length == dimensions) {
                ids.add(id);
                normalized.add(normalizedText);
                vectors.add(vector);
            }
            return this;
        }

        VectorSet build() {
            if (ids.isEmpty()) {
                return EMPTY;
            }
            float[] rows = new float[ids.size() * dimensions];
            for (int r = 0; r < vectors.size(); r++) {
                float[] vector = vectors.get(r);
                double norm = 0;
                for (float value : vector) {
                    norm += (double) value * value;
                }
                float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0;
                for (int d = 0; d < dimensions; d++) {
                    rows[r * dimensions + d] = vector[d] * scale;
                }
            }
            return new VectorSet(ids.toArray(String[]::new), normalized.toArray(String[]::new), rows, dimensions,
                    QuantizedRows.of(rows, ids.size(), dimensions));
        }
    }
}
