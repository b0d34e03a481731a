package io.chatai.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryRankingTest {

    private static MemoryRepository.Candidate candidate(String id, float... vector) {
        return MemoryRepository.Candidate.of(id, id, vector);
    }

    @Test
    void should_rank_by_cosine_best_first_within_the_limit_skipping_other_models_vectors() {
        List<MemoryRepository.Candidate> candidates = List.of(
                candidate("far", -1, 0, 0), candidate("near", 3, 1, 0), candidate("exact", 5, 0, 0),
                candidate("side", 0, 2, 0), candidate("other-model", 1, 0));

        List<MemoryRecall.Scored> ranked = MemoryRecall.rank(candidates, new float[] {2, 0, 0}, 3);

        assertThat(ranked).extracting(MemoryRecall.Scored::id).containsExactly("exact", "near", "side");
        assertThat(ranked.getFirst().score()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(ranked.get(1).score()).isEqualTo(3 / Math.sqrt(10), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(MemoryRecall.rank(candidates, new float[] {2, 0, 0}, 0)).isEmpty();
        assertThat(MemoryRecall.rank(candidates, new float[] {2, 0, 0}, 10)).hasSize(4);
    }

    @Test
    void should_break_ties_by_id_so_pages_are_stable() {
        List<MemoryRecall.Scored> ranked = MemoryRecall.rank(List.of(candidate("b", 1, 0), candidate("a", 2, 0),
                candidate("c", 1, 0)), new float[] {1, 0}, 2);
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
