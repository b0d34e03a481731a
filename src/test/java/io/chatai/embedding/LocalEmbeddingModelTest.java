package io.chatai.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.sun.management.OperatingSystemMXBean;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.chatai.core.ApiException;
import io.chatai.core.Cancellation;
import io.chatai.core.ErrorCode;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The built-in all-MiniLM-L6-v2 model through the {@link Embeddings} API other features use; no network. */
class LocalEmbeddingModelTest {
    static final LocalEmbeddingModel model = new LocalEmbeddingModel(2, 1024);

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void should_place_texts_of_close_meaning_closer_than_others() {
        Embeddings embeddings = model;
        float[][] v = embeddings.embed(List.of("cat", "kitten", "car", "automobile", "How do I reset my password?",
                "I forgot my login credentials", "The stock market fell sharply today"));

        assertThat(embeddings.dimensions()).isEqualTo(384);
        assertThat(v).hasNumberOfRows(7);
        for (float[] vector : v) {
            assertThat(vector).hasSize(384);
            assertThat(Embeddings.cosine(vector, vector)).isCloseTo(1.0, within(1e-5));
        }
        assertThat(Embeddings.cosine(v[0], v[1])).isGreaterThan(Embeddings.cosine(v[0], v[2]));
        assertThat(Embeddings.cosine(v[2], v[3])).isGreaterThan(Embeddings.cosine(v[2], v[1]));
        assertThat(Embeddings.cosine(v[4], v[5])).isGreaterThan(Embeddings.cosine(v[4], v[6]) + 0.3);
    }

    @Test
    void should_give_the_vectors_langchain4j_s_own_all_minilm_model_gives() {
        List<String> texts = List.of("cat", "How do I reset my password?", "The user said my sister plays the cello");
        float[][] ours = model.embed(texts); // first: it sets the tokenizer library's offline switches
        var theirs = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);

        // The same weights, tokenizer and pooling in a session with other threading options (MiniLmSession).
        for (int i = 0; i < texts.size(); i++) {
            assertThat(ours[i]).containsExactly(theirs.embed(texts.get(i)).content().vector(), within(1e-5f));
        }
    }

    @Test
    void should_give_the_same_vectors_to_many_threads_at_once_as_to_one() throws Exception {
        List<String> texts = IntStream.range(0, 24).mapToObj(i -> "sentence number " + i + " about topic " + (i % 5)).toList();
        float[][] alone = model.embed(texts);

        List<Callable<float[][]>> callers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            callers.add(() -> model.embed(texts));
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<float[][]> together : threads.invokeAll(callers)) {
                assertThat(together.get()).isDeepEqualTo(alone);
            }
        }
    }

    @Test
    void should_read_only_the_first_128_tokens_of_a_long_text() {
        String head = "The quick brown fox jumps over the lazy dog. ".repeat(15);  // 150 word pieces: past the window
        LocalEmbeddingModel.Result longer = model.embedAll(List.of(head + "Quantum chromodynamics describes quarks. ".repeat(40)),
                new Cancellation());
        LocalEmbeddingModel.Result shorter = model.embedAll(List.of(head), new Cancellation());
        LocalEmbeddingModel.Result short1 = model.embedAll(List.of("The quick brown fox jumps over the lazy dog."), new Cancellation());

        // The tokenizer cuts at 128 tokens ([CLS] and [SEP] included); the usage counts what was read.
        assertThat(longer.tokens()).isEqualTo(126);
        assertThat(short1.tokens()).isEqualTo(10);
        assertThat(Embeddings.cosine(longer.vectors().getFirst(), shorter.vectors().getFirst())).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void should_refuse_at_once_when_its_waiting_line_is_full() {
        String longText = "Every text here keeps the single inference thread busy for a while. ".repeat(40);
        try (LocalEmbeddingModel small = new LocalEmbeddingModel(1, 1)) {
            // One text runs, one waits, the next finds the line full (each text takes milliseconds, a submission microseconds).
            assertThatThrownBy(() -> small.embedAll(java.util.Collections.nCopies(8, longText), new Cancellation()))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CHANNEL_UNAVAILABLE);
                        assertThat(e.retryAfterSeconds()).isEqualTo(1);
                        assertThat(e.getMessage()).contains("busy");
                    });
            // The refused request's texts left the line at once: the next request gets in while the first text still runs.
            assertThat(small.embed(List.of("afterwards it works"))).hasNumberOfRows(1);
        }
    }

    @Test
    void should_refuse_a_blank_text_naming_it() {
        assertThatThrownBy(() -> model.embed(List.of("fine", " \t\n")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("input[1]");
                });
    }

    @Test
    void should_keep_the_tokenizer_library_offline_and_untracked() {
        model.embed(List.of("loaded"));

        // DJL would otherwise ask the EC2 metadata address and report to AWS at load (ai.djl.util.Ec2Utils).
        assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    }

    @Test
    void should_use_one_core_for_one_text_and_none_once_it_is_embedded() {
        for (int i = 0; i < 30; i++) { // the model loaded, the JIT done with the path
            model.embed(List.of("warm-up sentence " + i));
        }
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        for (int i = 0; i < 60; i++) { // one text at a time, as a chat turn's message is embedded
            model.embed(List.of("What did I tell you about my sister's wedding plans, number " + i + "?"));
        }
        double cores = (double) (os.getProcessCpuTime() - cpuBefore) / (System.nanoTime() - wallBefore);

        // ONNX Runtime's default session added a pool thread per further core that spun beside each inference and
        // after it: about two cores busy here for one text at a time (1.9 measured), a core the server's other
        // requests then lacked.
        assertThat(cores).as("cores busy while one text at a time is embedded").isLessThan(1.4);
    }
}
