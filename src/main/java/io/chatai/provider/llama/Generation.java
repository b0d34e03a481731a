package io.chatai.provider.llama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * One answer being generated: a receiver (platform) thread takes the tokens llama.cpp produces and hands
 * them to the request's (virtual) thread through a bounded queue. Cancelling is a flag the receiver
 * acts on at its next token: llama.cpp delivers no further result to a cancelled task, so a receiver
 * that cancelled from outside while blocked in native code would wait forever. Thread-safe.
 */
final class Generation implements Runnable, AutoCloseable {
    /** Tokens buffered between the receiver and a slow client before the receiver waits. */
    private static final int HANDOFF = 64;

    /** What the request thread receives, in order: tokens, then one {@link Finished} or {@link Failed}. */
    sealed interface Step {
        /** One token's text (empty for tokens that print nothing, such as the end of turn). */
        record Token(String text) implements Step { }

        /** The answer is complete; {@code tokens} is how many the model generated. */
        record Finished(int tokens) implements Step { }

        /** llama.cpp refused or failed the request. */
        record Failed(RuntimeException error) implements Step { }
    }

    private final LlamaModel model;
    private final InferenceParameters parameters;
    private final Predicate<Generation> leaveLine;
    private final Counters counters;
    private final Runnable release;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final BlockingQueue<Step> handoff = new ArrayBlockingQueue<>(HANDOFF);
    private volatile boolean started;
    private volatile boolean cancelled;

    /** The engine's live figures: answers being generated, and tokens generated so far. */
    record Counters(AtomicInteger running, LongAdder generated) {
        Counters() {
            this(new AtomicInteger(), new LongAdder());
        }
    }

    /**
     * @param leaveLine takes a generation still waiting in line out of it; false when a receiver has it already
     * @param release   gives back the generation's place (in a sequence or in line), exactly once
     */
    Generation(LlamaModel model, InferenceParameters parameters, Predicate<Generation> leaveLine, Counters counters,
               Runnable release) {
        this.model = model;
        this.parameters = parameters;
        this.leaveLine = leaveLine;
        this.counters = counters;
        this.release = release;
    }

    /** Runs on a receiver thread once a sequence is free. */
    @Override
    public void run() {
        started = true;
        try {
            if (!cancelled) { // else the request left while waiting in line
                generate();
            }
        } finally {
            finish();
        }
    }

    private void generate() {
        counters.running().incrementAndGet();
        try {
            LlamaIterator tokens = model.generate(parameters).iterator();
            int generated = 0;
            while (tokens.hasNext()) {
                LlamaOutput output = tokens.next();
                if (cancelled) {
                    stop(tokens);
                    return;
                }
                // The last result only closes the stream; every result before it carries one token.
                if (tokens.hasNext()) {
                    generated++;
                    counters.generated().increment();
                }
                if (!output.text.isEmpty() && !hand(new Step.Token(output.text))) {
                    stop(tokens);
                    return;
                }
            }
            hand(new Step.Finished(generated));
        } catch (RuntimeException e) {
            hand(new Step.Failed(e));
        } finally {
            counters.running().decrementAndGet();
        }
    }

    /** Whether a receiver has taken this generation (false while it waits for a free sequence). */
    boolean started() {
        return started;
    }

    /** The next step, or null when none came within the timeout. */
    Step next(Duration timeout) throws InterruptedException {
        return handoff.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Abandons the generation if it has not finished: it leaves the line, or stops at its next token. */
    @Override
    public void close() {
        if (!cancelled) {
            cancelled = true;
            if (!started && leaveLine.test(this)) {
                finish(); // it will never run
            }
        }
    }

    /** Gives the place back once, whichever of the receiver and an abandoning request gets here first. */
    void finish() {
        if (finished.compareAndSet(false, true)) {
            release.run();
        }
    }

    private static void stop(LlamaIterator tokens) {
        if (tokens.hasNext()) {
            tokens.cancel(); // only from this thread, which is not waiting in native code now
        }
    }

    /** Hands a step over, waiting while the request thread is behind; false once the request left. */
    private boolean hand(Step step) {
        try {
            while (!cancelled) {
                if (handoff.offer(step, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
