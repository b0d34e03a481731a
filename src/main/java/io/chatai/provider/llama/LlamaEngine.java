package io.chatai.provider.llama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GGUF model loaded in-process by llama.cpp, with {@code parallel} sequences that llama.cpp batches
 * together on its own native thread. Answers are received on a pool of {@code parallel} platform
 * threads (a JNI call blocked in native code would pin a virtual thread's carrier); requests beyond
 * them wait in a line of {@code queue}, and one more is refused. Thread-safe; {@link #close} only when
 * no request uses it.
 */
public final class LlamaEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LlamaEngine.class);
    /** Set to DEBUG to see llama.cpp's own log on stdout. */
    private static final Logger NATIVE_LOG = LoggerFactory.getLogger("llama.cpp");

    private final GgufInfo info;
    private final LlamaSettings settings;
    private final LlamaModel model;
    private final ThreadPoolExecutor receivers;
    private final Semaphore places;
    private final Generation.Counters counters = new Generation.Counters();
    private volatile boolean closed;

    private LlamaEngine(GgufInfo info, LlamaSettings settings, LlamaModel model) {
        this.info = info;
        this.settings = settings;
        this.model = model;
        // The places are counted here, not by the executor's queue: a receiver that just finished is not yet
        // back at its queue, and a bounded queue would turn a request away from a sequence that is free.
        this.places = new Semaphore(settings.parallel() + settings.queue());
        this.receivers = new ThreadPoolExecutor(settings.parallel(), settings.parallel(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("llama-" + info.file().getFileName() + "-", 0).factory());
    }

    /** Loads the model; a file llama.cpp cannot use is a {@link ModelFileException}. Takes about as long as reading the file. */
    public static LlamaEngine load(GgufInfo info, LlamaSettings settings) {
        prepareNatives();
        ModelParameters parameters = new ModelParameters()
                .setModel(info.file().toString())
                .setCtxSize(settings.contextSize() * settings.parallel()) // llama.cpp splits it between the sequences
                .setParallel(settings.parallel())
                .setThreads(settings.threads())
                .setThreadsBatch(settings.threads())
                .disableContextShift() // an answer stops at the end of its context instead of forgetting its prompt
                .enableJinja(); // renders the model's own chat template exactly, not a look-alike
        if (!NATIVE_LOG.isDebugEnabled()) {
            parameters.disableLog();
        }
        long started = System.nanoTime();
        LlamaModel model;
        try {
            model = new LlamaModel(parameters);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new ModelFileException(info.file() + " could not be loaded by llama.cpp (" + e.getMessage()
                    + "); is its architecture '" + info.architecture() + "' supported and the file complete?", e);
        }
        LOG.info("Loaded local model {} ({}, {}) in {} ms: {} sequences of {} tokens, {} threads, a line of {}",
                info.file(), info.name(), info.architecture(), (System.nanoTime() - started) / 1_000_000,
                settings.parallel(), settings.contextSize(), settings.threads(), settings.queue());
        return new LlamaEngine(info, settings, model);
    }

    public GgufInfo info() {
        return info;
    }

    public LlamaSettings settings() {
        return settings;
    }

    /**
     * The conversation rendered with the model's own chat template, and its length in the model's tokens.
     * System messages go first, joined; consecutive turns of one role are joined into one, because templates
     * that demand alternating roles raise an error, and an error raised inside the binding aborts the JVM.
     * Reasoning parts are not sent back (a local model has no use for another model's thinking). Tool calls
     * and tool results never get here ({@link LlamaRefusals}).
     */
    Prompt prompt(List<ChatMessage> messages) {
        List<String> system = new ArrayList<>();
        List<Pair<String, String>> turns = new ArrayList<>();
        for (ChatMessage message : messages) {
            switch (message) {
                case ChatMessage.System s -> system.add(s.text());
                case ChatMessage.User u -> turn(turns, "user", u.text());
                case ChatMessage.Assistant a -> turn(turns, "assistant", a.text());
                case ChatMessage.Tool t -> throw new IllegalArgumentException("a local model takes no tool results");
            }
        }
        String text = model.applyTemplate(new InferenceParameters("")
                .setMessages(system.isEmpty() ? null : String.join("\n\n", system), turns));
        // llama.cpp adds BOS (and EOS for some models) when it tokenizes the prompt; encode() does not.
        int tokens = model.encode(text).length + (info.addBos() ? 1 : 0) + (info.addEos() ? 1 : 0);
        return new Prompt(text, tokens);
    }

    private static void turn(List<Pair<String, String>> turns, String role, String text) {
        Pair<String, String> last = turns.isEmpty() ? null : turns.getLast();
        if (last == null || !last.getKey().equals(role)) {
            turns.add(new Pair<>(role, text));
        } else if (!text.isEmpty()) {
            turns.set(turns.size() - 1, new Pair<>(role, last.getValue().isEmpty() ? text : last.getValue() + "\n\n" + text));
        }
    }

    /** A prompt ready for the model. */
    record Prompt(String text, int tokens) { }

    /**
     * Starts generating at most {@code maxTokens} tokens: at once on a free sequence, else after waiting
     * in line. Returns null when the line is full.
     */
    Generation start(Prompt prompt, ModelRequest request, int maxTokens) {
        InferenceParameters parameters = Sampling.of(prompt.text(), request.options(), maxTokens);
        if (!places.tryAcquire()) {
            return null;
        }
        Generation generation = new Generation(model, parameters, receivers::remove, counters, places::release);
        try {
            receivers.execute(generation);
            return generation;
        } catch (RejectedExecutionException closed) {
            generation.finish();
            throw new IllegalStateException("the local model " + info.file() + " is closed", closed);
        }
    }

    /** Requests waiting for a free sequence right now. */
    int waiting() {
        return receivers.getQueue().size();
    }

    /** Answers being generated right now (a count of its own: the executor's counts a starting thread as active). */
    int busy() {
        return counters.running().get();
    }

    /** Tokens this model generated since it was loaded, cancelled answers included. */
    long generatedTokens() {
        return counters.generated().sum();
    }

    /**
     * Stops the receivers (each at its next token) and frees the model. A receiver still inside llama.cpp
     * after a few seconds keeps the model alive rather than risking a use after free. The binding (4.1.0)
     * does not give all of a model's memory back (measured: the model's size plus about 27 MiB per close),
     * so a server reloading a model many times should be restarted now and then.
     */
    @Override
    public void close() {
        receivers.shutdownNow();
        try {
            if (!receivers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Local model {} is still generating; not freeing it", info.file());
                return;
            }
            // The binding frees its context right after telling its loop thread to stop, without waiting for
            // it: let a step that thread may still be taking for a just-cancelled answer end first.
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        model.close();
        closed = true;
        LOG.info("Closed local model {}", info.file());
    }

    /** Whether the model was freed. */
    boolean closed() {
        return closed;
    }

    /**
     * Unpacks the natives into a directory of this process: the binding otherwise shares one file in the
     * temp directory, which it deletes and rewrites at start, under every other JVM using it.
     */
    private static synchronized void prepareNatives() {
        if (System.getProperty("de.kherud.llama.tmpdir") != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("chatai-llama");
            dir.toFile().deleteOnExit();
            System.setProperty("de.kherud.llama.tmpdir", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the llama.cpp natives", e);
        }
    }
}
