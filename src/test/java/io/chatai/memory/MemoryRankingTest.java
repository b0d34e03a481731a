package io.chatai.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryRankingTest {

    private static VectorSet set(Object... idsAndVectors) {
        VectorSet.Builder set = new VectorSet.Builder();
        for (int i = 0; i < idsAndVectors.length; i += 2) {
            set.add((String) idsAndVectors[i], (String) idsAndVectors[i], (float[]) idsAndVectors[i + 1]);
        }
        return set.build();
    }

    private static float[] v(float... values) {
        return values;
    }

    @Test
    void should_rank_by_cosine_best_first_within_the_limit_skipping_other_models_vectors() {
        VectorSet candidates = set("far", v(-1, 0, 0), "near", v(3, 1, 0), "exact", v(5, 0, 0),
                "side", v(0, 2, 0), "other-model", v(1, 0));

        List<MemoryRecall.Scored> ranked = MemoryRecall.rank(candidates, new float[] {2, 0, 0}, 3);

        assertThat(ranked).extracting(MemoryRecall.Scored::id).containsExactly("exact", "near", "side");
        assertThat(ranked.getFirst().score()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(ranked.get(1).score()).isEqualTo(3 / Math.sqrt(10), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(MemoryRecall.rank(candidates, new float[] {2, 0, 0}, 0)).isEmpty();
        assertThat(MemoryRecall.rank(candidates, new float[] {2, 0, 0}, 10)).hasSize(4);
    }

    @Test
    void should_find_exactly_the_best_of_thousands_as_a_full_sort_would() {
        java.util.Random random = new java.util.Random(7);
        VectorSet.Builder builder = new VectorSet.Builder();
        List<float[]> vectors = new java.util.ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            float[] vector = new float[37]; // not a multiple of the four partial sums
            for (int d = 0; d < vector.length; d++) {
                vector[d] = (float) random.nextGaussian();
            }
            vectors.add(vector.clone());
            builder.add("m" + i, "m" + i, vector);
        }
        VectorSet set = builder.build();
        float[] query = vectors.get(1234).clone();
        for (int d = 0; d < query.length; d++) {
            query[d] = 3 * query[d] + (float) random.nextGaussian() * 0.1f;
        }
        List<String> expected = java.util.stream.IntStream.range(0, vectors.size()).boxed()
                .sorted(java.util.Comparator.comparingDouble((Integer i) -> -io.chatai.embedding.Embeddings.cosine(query, vectors.get(i))))
                .limit(50).map(i -> "m" + i).toList();

        List<MemoryRecall.Scored> ranked = MemoryRecall.rank(set, query, 50);

        assertThat(ranked).extracting(MemoryRecall.Scored::id).containsExactlyElementsOf(expected);
        assertThat(ranked.getFirst().id()).isEqualTo("m1234");
        assertThat(ranked.getFirst().score()).isEqualTo(io.chatai.embedding.Embeddings.cosine(query, vectors.get(1234)),
                org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void should_break_ties_by_id_so_pages_are_stable() {
        List<MemoryRecall.Scored> ranked = MemoryRecall.rank(set("b", v(1, 0), "a", v(2, 0),
                "c", v(1, 0)), new float[] {1, 0}, 2);
        assertThat(ranked).extracting(MemoryRecall.Scored::id).containsExactly("a", "b");
    }

    @Test
    void should_take_only_an_answer_that_is_exactly_a_list_of_facts() {
        assertThat(MemoryExtractor.facts("{\"facts\": [\"The user is vegetarian\", \"The user lives in Lyon\"]}"))
                .containsExactly("The user is vegetarian", "The user lives in Lyon");
        assertThat(MemoryExtractor.facts("{\"facts\": []}")).isEmpty();
        assertThat(MemoryExtractor.facts("```json\n{\"facts\": [\"x\"]}\n```")).isEmpty();
        assertThat(MemoryExtractor.facts("Sure! The user is vegetarian.")).isEmpty();
        assertThat(MemoryExtractor.facts("{\"facts\": [\"x\", 3]}")).isEmpty();
        assertThat(MemoryExtractor.facts("{\"facts\": \"x\"}")).isEmpty();
        assertThat(MemoryExtractor.facts("[\"x\"]")).isEmpty();
        assertThat(MemoryExtractor.facts("{\"facts\": " + "[\"f\",".repeat(1) + "\"f\"".repeat(0) + "\"g\",\"h\",\"i\",\"j\","
                + "\"k\",\"l\",\"m\",\"n\",\"o\",\"p\",\"q\"]}")).hasSize(MemoryExtractor.MAX_FACTS);
    }

    @Test
    void should_treat_case_spacing_width_and_trailing_punctuation_as_the_same_fact() {
        assertThat(MemoryWriter.normalize("  The user  is VEGETARIAN. ")).isEqualTo("the user is vegetarian");
        assertThat(MemoryWriter.normalize("用户喜欢绿茶。")).isEqualTo(MemoryWriter.normalize("用户喜欢绿茶"));
        assertThat(MemoryWriter.normalize("ＡＢＣ!!")).isEqualTo("abc");
        assertThat(MemoryWriter.normalize("The user is vegetarian")).isNotEqualTo(MemoryWriter.normalize("The user is not vegetarian"));
    }
}
