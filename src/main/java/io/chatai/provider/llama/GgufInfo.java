package io.chatai.provider.llama;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the header of a GGUF file says about its model, read without llama.cpp: a file that is not GGUF,
 * or is cut short inside its header, fails here with a precise message instead of llama.cpp's generic
 * "could not load model". Immutable.
 *
 * @param contextLength the context the model was trained with, or 0 when the file does not say
 * @param addBos        whether llama.cpp puts a BOS token before every prompt (so usage counts it)
 * @param addEos        whether llama.cpp puts an EOS token after every prompt
 */
public record GgufInfo(Path file, int version, String architecture, String name, int contextLength,
                       String tokenizer, boolean addBos, boolean addEos, boolean hasChatTemplate) {
    private static final int MAGIC = 0x46554747; // "GGUF", little-endian
    /** Pre-tokenizers for which llama.cpp adds BOS although the BPE default is not to. */
    private static final Set<String> BOS_PRE_TOKENIZERS = Set.of("llama3", "llama-v3", "llama-bpe", "falcon3");

    /** Reads the header and metadata; any problem is a {@link ModelFileException} naming the file. */
    public static GgufInfo read(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ModelFileException(file + " is not a readable file");
        }
        if (!startsWithMagic(file)) {
            throw new ModelFileException(file + " is not a GGUF model (it does not start with \"GGUF\")");
        }
        try (InputStream stream = Files.newInputStream(file)) {
            return parse(file, new GgufReader(file, new BufferedInputStream(stream, 1 << 16)));
        } catch (NoSuchFileException e) {
            throw new ModelFileException(file + " is not a readable file");
        } catch (EOFException e) {
            throw new ModelFileException(file + " is cut short: its GGUF header ends early (an incomplete download?)");
        } catch (IOException e) {
            throw new ModelFileException(file + " cannot be read: " + e.getMessage());
        }
    }

    private static boolean startsWithMagic(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && (magic[0] & 0xFF | (magic[1] & 0xFF) << 8 | (magic[2] & 0xFF) << 16 | (magic[3] & 0xFF) << 24) == MAGIC;
        } catch (IOException e) {
            throw new ModelFileException(file + " cannot be read: " + e.getMessage());
        }
    }

    private static GgufInfo parse(Path file, GgufReader in) throws IOException {
        in.u32(); // the magic, checked already
        int version = in.u32();
        if (version < 2 || version > 3) {
            throw new ModelFileException(file + " uses GGUF version " + version + "; llama.cpp reads versions 2 and 3");
        }
        long tensors = in.u64();
        long entries = in.u64();
        long size = Files.size(file);
        if (tensors <= 0 || tensors > size || entries < 0 || entries > size) {
            throw new ModelFileException(file + " has a damaged GGUF header (" + tensors + " tensors, " + entries + " metadata entries)");
        }
        Map<String, Object> meta = new HashMap<>();
        for (long i = 0; i < entries; i++) {
            String key = in.string();
            Object value = in.value(in.u32());
            if (value != null) {
                meta.put(key, value);
            }
        }
        checkTensorData(file, in, tensors, meta.get("general.alignment") instanceof Long a && a > 0 ? a : 32, size);
        String architecture = meta.get("general.architecture") instanceof String a ? a : null;
        if (architecture == null) {
            throw new ModelFileException(file + " has no general.architecture in its metadata");
        }
        String tokenizer = meta.get("tokenizer.ggml.model") instanceof String t ? t : "";
        boolean bosByDefault = tokenizer.equals("llama") || tokenizer.equals("bert")
                || BOS_PRE_TOKENIZERS.contains(String.valueOf(meta.get("tokenizer.ggml.pre")));
        return new GgufInfo(file, version, architecture,
                meta.get("general.name") instanceof String n ? n : null,
                meta.get(architecture + ".context_length") instanceof Long l ? (int) Math.min(l, Integer.MAX_VALUE) : 0,
                tokenizer,
                meta.get("tokenizer.ggml.add_bos_token") instanceof Boolean b ? b : bosByDefault,
                meta.get("tokenizer.ggml.add_eos_token") instanceof Boolean b ? b : tokenizer.equals("bert"),
                meta.get("tokenizer.chat_template") instanceof String);
    }

    /** Reads the tensor directory: the data of the last tensor must start inside the file, else it was cut short. */
    private static void checkTensorData(Path file, GgufReader in, long tensors, long alignment, long size) throws IOException {
        long lastOffset = 0;
        for (long i = 0; i < tensors; i++) {
            in.string();
            int dims = in.u32();
            if (dims < 1 || dims > 8) {
                throw new ModelFileException(file + " has a damaged GGUF header (a tensor with " + dims + " dimensions)");
            }
            for (int d = 0; d < dims; d++) {
                in.u64();
            }
            in.u32(); // type
            lastOffset = Math.max(lastOffset, in.u64());
        }
        long dataStart = (in.position() + alignment - 1) / alignment * alignment;
        if (dataStart + lastOffset >= size) {
            throw new ModelFileException(file + " is cut short: its tensor data ends early (an incomplete download?)");
        }
    }
}
