package io.chatai.provider.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a GGUF header without llama.cpp: what a model says about itself, and precise refusals of bad files. */
class GgufInfoTest {
    @TempDir
    Path dir;

    @Test
    void should_read_what_the_tiny_model_says_about_itself() {
        GgufInfo info = GgufInfo.read(TinyGguf.write(dir.resolve("tiny.gguf")));

        assertThat(info.version()).isEqualTo(3);
        assertThat(info.architecture()).isEqualTo("llama");
        assertThat(info.name()).isEqualTo("tiny-random-llama");
        assertThat(info.contextLength()).isEqualTo(TinyGguf.CONTEXT);
        assertThat(info.tokenizer()).isEqualTo("llama");
        assertThat(info.addBos()).isTrue();
        assertThat(info.addEos()).isFalse();
        assertThat(info.hasChatTemplate()).isTrue();
    }

    @Test
    void should_be_a_few_hundred_kilobytes() throws Exception {
        long size = Files.size(TinyGguf.write(dir.resolve("tiny.gguf")));

        assertThat(size).isBetween(100_000L, 1_000_000L);
    }

    @Test
    void should_refuse_a_file_that_is_not_gguf() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.gguf"), "these are not weights, just some text");

        assertThatThrownBy(() -> GgufInfo.read(text)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("notes.gguf").hasMessageContaining("is not a GGUF model");
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "ab");
        assertThatThrownBy(() -> GgufInfo.read(tiny)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("is not a GGUF model");
    }

    @Test
    void should_say_a_file_cut_short_in_its_header_is_incomplete() throws Exception {
        byte[] whole = Files.readAllBytes(TinyGguf.write(dir.resolve("tiny.gguf")));
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(whole, 600));

        assertThatThrownBy(() -> GgufInfo.read(cut)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("cut short").hasMessageContaining("header");
    }

    @Test
    void should_say_a_file_cut_short_in_its_tensor_data_is_incomplete() throws Exception {
        byte[] whole = Files.readAllBytes(TinyGguf.write(dir.resolve("tiny.gguf")));
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> GgufInfo.read(cut)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("cut short").hasMessageContaining("tensor data");
    }

    @Test
    void should_refuse_a_missing_file() {
        assertThatThrownBy(() -> GgufInfo.read(dir.resolve("absent.gguf"))).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("absent.gguf").hasMessageContaining("not a readable file");
    }
}
