package io.chatai.provider.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One engine per model file and options, loaded once, unloaded when no channel names it any more. */
class LlamaModelsTest {
    static final Map<String, Object> OPTIONS = Map.of("threads", 1);

    @TempDir
    Path dir;

    @Test
    void should_load_one_engine_for_every_channel_naming_the_same_file_and_options() throws Exception {
        Path model = TinyGguf.write(dir.resolve("tiny.gguf"));
        try (LlamaModels models = new LlamaModels(() -> null);
             ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            // Concurrent first requests share one load.
            var first = CompletableFuture.supplyAsync(() -> acquire(models, new LlamaModels.Key(model, OPTIONS)), requests);
            var second = CompletableFuture.supplyAsync(() -> acquire(models, new LlamaModels.Key(dir.resolve("./tiny.gguf"), OPTIONS)), requests);
            try (LlamaModels.Lease a = first.get(); LlamaModels.Lease b = second.get();
                 LlamaModels.Lease other = models.acquire(new LlamaModels.Key(model, Map.of("threads", 1, "parallel", 1)))) {
                assertThat(a.engine()).isSameAs(b.engine());
                assertThat(other.engine()).isNotSameAs(a.engine());
                assertThat(other.engine().settings().parallel()).isEqualTo(1);
            }
        }
    }

    @Test
    void should_unload_an_engine_no_channel_names_once_its_last_request_is_done() throws Exception {
        Path model = TinyGguf.write(dir.resolve("tiny.gguf"));
        LlamaModels.Key key = new LlamaModels.Key(model, OPTIONS);
        AtomicReference<Set<LlamaModels.Key>> named = new AtomicReference<>(Set.of(key));
        try (LlamaModels models = new LlamaModels(named::get)) {
            LlamaModels.Lease running = models.acquire(key);
            named.set(Set.of()); // the channel was deleted while a request still uses its model
            try (LlamaModels.Lease unrelated = models.acquire(new LlamaModels.Key(model, Map.of("threads", 1, "queue", 0)))) {
                assertThat(running.engine().closed()).isFalse(); // not freed under its request
            }
            running.close();
            assertThat(running.engine().closed()).isTrue();
            // A later acquire of the old key loads a fresh engine: the retired one is gone.
            named.set(Set.of(key));
            try (LlamaModels.Lease again = models.acquire(key)) {
                assertThat(again.engine()).isNotSameAs(running.engine());
            }
        }
    }

    @Test
    void should_forget_a_failed_load_so_a_fixed_file_loads_next_time() throws Exception {
        Path model = dir.resolve("later.gguf");
        try (LlamaModels models = new LlamaModels(() -> null)) {
            LlamaModels.Key key = new LlamaModels.Key(model, OPTIONS);
            assertThatThrownBy(() -> models.acquire(key)).isInstanceOf(ModelFileException.class)
                    .hasMessageContaining("later.gguf");

            Files.copy(TinyGguf.writeTemp(), model);

            try (LlamaModels.Lease lease = models.acquire(key)) {
                assertThat(lease.engine().info().architecture()).isEqualTo("llama");
            }
        }
    }

    @Test
    void should_name_the_file_and_its_architecture_when_llama_cpp_refuses_it() throws Exception {
        byte[] bytes = Files.readAllBytes(TinyGguf.write(dir.resolve("tiny.gguf")));
        // The first "llama" value is general.architecture; a name llama.cpp does not know makes it refuse the file.
        byte[] value = {5, 0, 0, 0, 0, 0, 0, 0, 'l', 'l', 'a', 'm', 'a'};
        int at = indexOf(bytes, value);
        bytes[at + 12] = 'x';
        Path strange = Files.write(dir.resolve("strange.gguf"), bytes);

        try (LlamaModels models = new LlamaModels(() -> null)) {
            assertThatThrownBy(() -> models.acquire(new LlamaModels.Key(strange, OPTIONS)))
                    .isInstanceOf(ModelFileException.class)
                    .hasMessageContaining("strange.gguf could not be loaded by llama.cpp")
                    .hasMessageContaining("'llamx'");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static LlamaModels.Lease acquire(LlamaModels models, LlamaModels.Key key) {
        try {
            return models.acquire(key);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
