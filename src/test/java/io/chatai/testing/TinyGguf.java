package io.chatai.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a tiny random-weight llama model as a GGUF v3 file, from the GGUF specification, so tests run
 * the real llama.cpp engine without downloading anything. The vocabulary is byte fallback only
 * ({@code <unk>}, {@code <s>}, {@code </s>}, {@code <0x00>}..{@code <0xFF>}); the weights are shaped so
 * the model only ever samples printable ASCII bytes: never the end token, never a broken UTF-8 sequence.
 * So an answer is exactly {@code maxTokens} tokens of readable gibberish. Stateless.
 */
public final class TinyGguf {
    /** Rendered by llama.cpp from the model's own metadata; deliberately unlike any built-in template. */
    public static final String CHAT_TEMPLATE = "{% for message in messages %}[{{ message['role'] }}] {{ message['content'] }}\n"
            + "{% endfor %}{% if add_generation_prompt %}[assistant] {% endif %}";
    public static final int EMBD = 64;
    public static final int LAYERS = 2;
    public static final int HEADS = 4;
    public static final int FF = 128;
    public static final int CONTEXT = 512;
    public static final int VOCAB = 3 + 256;
    private static final int ALIGNMENT = 32;
    /** Dimension 0 of the residual stream is held at this constant so the output layer can favour some tokens. */
    private static final float ANCHOR = 8f;
    private static final float FAVOUR = 4f;

    private TinyGguf() {
    }

    /** Writes the model to the file named by the first argument, e.g. to try the server by hand. */
    public static void main(String[] args) {
        System.out.println(write(Path.of(args.length > 0 ? args[0] : "tiny-random-llama.gguf")).toAbsolutePath());
    }

    /** Writes the model to {@code file} (a few hundred KB) and returns it. */
    public static Path write(Path file) {
        try {
            Files.write(file, bytes(42));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the model into a fresh temporary file. */
    public static Path writeTemp() {
        try {
            Path file = Files.createTempFile("tiny-llama", ".gguf");
            file.toFile().deleteOnExit();
            return write(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many tokens llama.cpp makes of a prompt with this vocabulary: BOS, then one per UTF-8 byte of the SentencePiece text. */
    public static int promptTokens(String rendered) {
        String spm = "\u2581" + rendered.replace(' ', '\u2581');
        return 1 + spm.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The chat template's rendering of messages given as (role, content) pairs, ready for the answer. */
    public static String render(List<String[]> messages) {
        StringBuilder text = new StringBuilder();
        for (String[] message : messages) {
            text.append('[').append(message[0]).append("] ").append(message[1]).append('\n');
        }
        return text.append("[assistant] ").toString();
    }

    static byte[] bytes(long seed) {
        Random random = new Random(seed);
        Writer meta = new Writer();
        int kv = 0;
        meta.string("general.architecture").type(8).string("llama"); kv++;
        meta.string("general.name").type(8).string("tiny-random-llama"); kv++;
        meta.string("general.alignment").type(4).u32(ALIGNMENT); kv++;
        meta.string("llama.context_length").type(4).u32(CONTEXT); kv++;
        meta.string("llama.embedding_length").type(4).u32(EMBD); kv++;
        meta.string("llama.block_count").type(4).u32(LAYERS); kv++;
        meta.string("llama.feed_forward_length").type(4).u32(FF); kv++;
        meta.string("llama.attention.head_count").type(4).u32(HEADS); kv++;
        meta.string("llama.attention.head_count_kv").type(4).u32(HEADS); kv++;
        meta.string("llama.rope.dimension_count").type(4).u32(EMBD / HEADS); kv++;
        meta.string("llama.attention.layer_norm_rms_epsilon").type(6).f32(1e-5f); kv++;
        meta.string("tokenizer.ggml.model").type(8).string("llama"); kv++;
        meta.string("tokenizer.ggml.tokens").type(9).type(8).u64(VOCAB);
        for (int id = 0; id < VOCAB; id++) {
            meta.string(tokenText(id));
        }
        kv++;
        meta.string("tokenizer.ggml.scores").type(9).type(6).u64(VOCAB);
        for (int id = 0; id < VOCAB; id++) {
            meta.f32(0f);
        }
        kv++;
        meta.string("tokenizer.ggml.token_type").type(9).type(5).u64(VOCAB);
        for (int id = 0; id < VOCAB; id++) {
            meta.u32(id == 0 ? 2 : id < 3 ? 3 : 6); // unknown, control, byte
        }
        kv++;
        meta.string("tokenizer.ggml.unknown_token_id").type(4).u32(0); kv++;
        meta.string("tokenizer.ggml.bos_token_id").type(4).u32(1); kv++;
        meta.string("tokenizer.ggml.eos_token_id").type(4).u32(2); kv++;
        meta.string("tokenizer.ggml.add_bos_token").type(7).u8(1); kv++;
        meta.string("tokenizer.ggml.add_eos_token").type(7).u8(0); kv++;
        meta.string("tokenizer.chat_template").type(8).string(CHAT_TEMPLATE); kv++;

        List<Tensor> tensors = tensors(random);
        Writer out = new Writer();
        out.raw("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(3).u64(tensors.size()).u64(kv);
        out.raw(meta.toByteArray());
        long offset = 0;
        for (Tensor tensor : tensors) {
            out.string(tensor.name).u32(tensor.dims.length);
            for (long dim : tensor.dims) {
                out.u64(dim);
            }
            out.u32(0).u64(offset); // GGML_TYPE_F32
            offset = align(offset + 4L * tensor.data.length);
        }
        out.pad();
        for (Tensor tensor : tensors) {
            ByteBuffer data = ByteBuffer.allocate(4 * tensor.data.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float value : tensor.data) {
                data.putFloat(value);
            }
            out.raw(data.array()).pad();
        }
        return out.toByteArray();
    }

    private static String tokenText(int id) {
        return switch (id) {
            case 0 -> "<unk>";
            case 1 -> "<s>";
            case 2 -> "</s>";
            default -> String.format("<0x%02X>", id - 3);
        };
    }

    private static List<Tensor> tensors(Random random) {
        List<Tensor> tensors = new ArrayList<>();
        float[] embeddings = gaussian(random, EMBD * VOCAB, 0.5f);
        for (int token = 0; token < VOCAB; token++) {
            embeddings[token * EMBD] = ANCHOR;
        }
        tensors.add(new Tensor("token_embd.weight", embeddings, EMBD, VOCAB));
        for (int layer = 0; layer < LAYERS; layer++) {
            String prefix = "blk." + layer + ".";
            tensors.add(new Tensor(prefix + "attn_norm.weight", ones(EMBD), EMBD));
            tensors.add(new Tensor(prefix + "attn_q.weight", gaussian(random, EMBD * EMBD, 0.1f), EMBD, EMBD));
            tensors.add(new Tensor(prefix + "attn_k.weight", gaussian(random, EMBD * EMBD, 0.1f), EMBD, EMBD));
            tensors.add(new Tensor(prefix + "attn_v.weight", gaussian(random, EMBD * EMBD, 0.1f), EMBD, EMBD));
            // Output rows of dimension 0 are zero, so the anchor survives every residual addition.
            tensors.add(new Tensor(prefix + "attn_output.weight", zeroRow(gaussian(random, EMBD * EMBD, 0.1f), EMBD), EMBD, EMBD));
            tensors.add(new Tensor(prefix + "ffn_norm.weight", ones(EMBD), EMBD));
            tensors.add(new Tensor(prefix + "ffn_gate.weight", gaussian(random, EMBD * FF, 0.1f), EMBD, FF));
            tensors.add(new Tensor(prefix + "ffn_down.weight", zeroRow(gaussian(random, FF * EMBD, 0.1f), FF), FF, EMBD));
            tensors.add(new Tensor(prefix + "ffn_up.weight", gaussian(random, EMBD * FF, 0.1f), EMBD, FF));
        }
        tensors.add(new Tensor("output_norm.weight", ones(EMBD), EMBD));
        float[] output = gaussian(random, EMBD * VOCAB, 0.3f);
        for (int token = 0; token < VOCAB; token++) {
            int value = token - 3;
            boolean printable = value >= 0x20 && value <= 0x7E;
            // The anchor is positive after RMS norm, so this lifts printable bytes far above every other token.
            output[token * EMBD] = printable ? FAVOUR : -FAVOUR;
        }
        tensors.add(new Tensor("output.weight", output, EMBD, VOCAB));
        return tensors;
    }

    private static float[] gaussian(Random random, int size, float scale) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return values;
    }

    private static float[] ones(int size) {
        float[] values = new float[size];
        java.util.Arrays.fill(values, 1f);
        return values;
    }

    /** Zeroes output row 0 of a matrix stored with {@code rowLength} contiguous inputs per output. */
    private static float[] zeroRow(float[] matrix, int rowLength) {
        java.util.Arrays.fill(matrix, 0, rowLength, 0f);
        return matrix;
    }

    private static long align(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A named F32 tensor; {@code dims[0]} is the contiguous dimension, as in ggml. */
    private record Tensor(String name, float[] data, long... dims) {
    }

    /** Little-endian GGUF primitives. */
    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        Writer u8(int value) {
            out.write(value);
            return this;
        }

        Writer u32(long value) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
        }

        Writer type(int type) {
            return u32(type);
        }

        Writer u64(long value) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }

        Writer f32(float value) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
        }

        Writer string(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return u64(bytes.length).raw(bytes);
        }

        Writer pad() {
            while (out.size() % ALIGNMENT != 0) {
                out.write(0);
            }
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
