package io.chatai.embedding;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.chatai.core.ApiException;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@value #NAME} model: all-MiniLM-L6-v2 (quantized, {@value #DIMENSIONS} dimensions,
 * unit-length vectors) run in-process by ONNX Runtime from the weights inside the jar, with no channel and
 * no network. Loaded on first use (about a second and 150 MB of memory), on an inference thread.
 *
 * <p>Inference runs on {@code threads} platform threads (native code would pin a virtual thread's carrier),
 * one text per task, each inference on its thread alone ({@link MiniLmSession}), so requests share the cores
 * fairly; at most {@code queueCapacity} texts wait, and a request that finds the line full is refused at once
 * as busy (503 with {@code Retry-After}). The model reads the first 128 word-piece tokens of a text ([CLS] and
 * [SEP] included: its tokenizer truncates there, as the model was trained), about 100 English words; the rest
 * does not change the vector, and the token count reported is what was read. Thread-safe: the ONNX session is
 * shared.
 */
public final class LocalEmbeddingModel implements Embeddings, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEmbeddingModel.class);
    public static final String NAME = "local-embedding";
    public static final int DIMENSIONS = 384;

    private final ThreadPoolExecutor inference;
    private final Object loading = new Object();
    private volatile EmbeddingModel model;
    private volatile ApiException unavailable;

    /** What one call produced: the vectors in input order and the model's own count of the tokens it read. */
    public record Result(List<float[]> vectors, int tokens) {
        public Result {
            vectors = List.copyOf(vectors);
        }
    }

    /**
     * @param threads       texts embedded at once, each on one thread (the cores)
     * @param queueCapacity texts that may wait for a thread before requests are refused as busy
     */
    public LocalEmbeddingModel(int threads, int queueCapacity) {
        inference = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity),
                Thread.ofPlatform().name("local-embedding-", 1).daemon().factory());
        inference.allowCoreThreadTimeOut(true); // no idle threads while nobody embeds
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public float[][] embed(List<String> texts) {
        return embedAll(texts, new Cancellation()).vectors().toArray(float[][]::new);
    }

    /**
     * Embeds every text, in order.
     *
     * @throws ApiException 400 for a text without a token (blank), 503 when busy or when the model cannot load
     * @throws CallCancelledException when the cancellation fired first
     */
    public Result embedAll(List<String> texts, Cancellation cancellation) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                throw blank(i);
            }
        }
        List<Future<Response<dev.langchain4j.data.embedding.Embedding>>> pending = new ArrayList<>(texts.size());
        Runnable cancelAll = () -> pending.forEach(this::cancel);
        try {
            for (String text : texts) {
                pending.add(inference.submit(() -> model().embed(TextSegment.from(text))));
            }
        } catch (RejectedExecutionException full) {
            cancelAll.run();
            throw busy();
        }
        cancellation.onCancel(cancelAll);
        try {
            List<float[]> vectors = new ArrayList<>(texts.size());
            int tokens = 0;
            for (int i = 0; i < pending.size(); i++) {
                Response<dev.langchain4j.data.embedding.Embedding> response = result(pending.get(i), i);
                vectors.add(response.content().vector());
                tokens += response.tokenUsage() == null || response.tokenUsage().inputTokenCount() == null
                        ? 0 : response.tokenUsage().inputTokenCount();
            }
            return new Result(vectors, tokens);
        } finally {
            cancellation.forget(cancelAll);
            cancelAll.run(); // after a failure nobody waits for the texts still in line: they leave it
        }
    }

    /**
     * Starts embedding one text on an inference thread and returns at once: a chat turn overlaps the message's
     * embedding with its own work before it needs the vector. A blank text or a full line fails at {@link
     * Pending#await}, with the same errors as {@link #embedAll}.
     */
    @Override
    public Pending start(String text) {
        if (text.isBlank()) {
            return Pending.failed(blank(0));
        }
        Future<Response<dev.langchain4j.data.embedding.Embedding>> task;
        try {
            task = inference.submit(() -> model().embed(TextSegment.from(text)));
        } catch (RejectedExecutionException full) {
            return Pending.failed(busy());
        }
        return new Pending() {
            @Override
            public float[] await() {
                try {
                    return result(task, 0).content().vector();
                } finally {
                    cancel(); // an interrupted wait leaves nothing in the line
                }
            }

            @Override
            public void cancel() {
                LocalEmbeddingModel.this.cancel(task);
            }
        };
    }

    /** Cancels a text's task and takes it out of the line, where a cancelled task would still hold a place. */
    private void cancel(Future<?> task) {
        if (task.cancel(false) && task instanceof Runnable queued) {
            inference.remove(queued);
        }
    }

    private static <T> T result(Future<T> future, int index) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallCancelledException("interrupted while embedding");
        } catch (java.util.concurrent.CancellationException e) {
            throw new CallCancelledException("the client left");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case ApiException api -> throw api;
                // LangChain4j refuses a text that leaves no token ("Cannot embed empty or whitespace-only text").
                case IllegalArgumentException noToken -> throw blank(index);
                default -> throw new IllegalStateException("The built-in embedding model failed on input[" + index + "]", e.getCause());
            }
        }
    }

    private ApiException busy() {
        return new ApiException(ErrorCode.CHANNEL_UNAVAILABLE, "The built-in embedding model " + NAME + " is busy: "
                + inference.getQueue().size() + " texts are waiting for its " + inference.getMaximumPoolSize()
                + " inference threads; retry in a moment", Map.of("model", NAME), 1);
    }

    private static ApiException blank(int index) {
        return ApiException.invalid("input[" + index + "] has nothing " + NAME + " can embed (it is blank)");
    }

    /** The model, loaded by the first inference thread that needs it; a load that failed fails every call alike. */
    private EmbeddingModel model() {
        EmbeddingModel loaded = model;
        if (loaded != null) {
            return loaded;
        }
        synchronized (loading) {
            if (model == null && unavailable == null) {
                load();
            }
            if (unavailable != null) {
                throw unavailable;
            }
            return model;
        }
    }

    private void load() {
        // DJL, under the tokenizer, otherwise asks the EC2 metadata address at load and reports usage to AWS
        // (ai.djl.util.Ec2Utils.callHome), and would download a tokenizer library missing from the jar:
        // the built-in model must use no network. DJL reads only these JVM-wide properties (or variables).
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        long started = System.nanoTime();
        try {
            EmbeddingModel loaded = MiniLmSession.load();
            loaded.embed("warm-up"); // the session is built; this checks that it runs
            model = loaded;
            LOG.info("Loaded the built-in embedding model {} (all-MiniLM-L6-v2, quantized, {} dimensions) in {} ms",
                    NAME, DIMENSIONS, Duration.ofNanos(System.nanoTime() - started).toMillis());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("The built-in embedding model {} could not be loaded; /v1/embeddings refuses it with 503", NAME, e);
            unavailable = new ApiException(ErrorCode.CHANNEL_UNAVAILABLE, "The built-in embedding model " + NAME
                    + " could not be loaded on this server; the server log says why", Map.of("model", NAME));
        }
    }

    /** Stops the inference threads; texts still waiting are dropped, and their requests fail instead of waiting. */
    @Override
    public void close() {
        for (Runnable waiting : inference.shutdownNow()) {
            if (waiting instanceof Future<?> future) {
                future.cancel(false);
            }
        }
    }
}
