package io.chatai.provider.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.StreamEvent;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import io.chatai.testing.TinyGguf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sequences, the bounded line and cancellation on the real engine. A request holds its sequence while its
 * consumer is stuck: the receiver fills the hand-off and then waits, so "busy" is deterministic here.
 */
class LlamaConcurrencyTest {
    static final Map<String, Object> ONE_SEQUENCE_ONE_WAITING = Map.of("threads", 1, "parallel", 1, "queue", 1);

    Path model;
    LlamaModels models;
    LlamaProvider provider;
    LlamaModels.Lease lease;
    LlamaEngine engine;
    final CountDownLatch release = new CountDownLatch(1);
    /** Requests run on virtual threads, as they do in the server. */
    final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void load() throws Exception {
        model = TinyGguf.writeTemp();
        models = new LlamaModels(() -> null);
        provider = new LlamaProvider(models);
        lease = models.acquire(new LlamaModels.Key(model, ONE_SEQUENCE_ONE_WAITING));
        engine = lease.engine();
    }

    @AfterEach
    void close() {
        release.countDown();
        requests.shutdownNow();
        lease.close();
        models.close();
    }

    Upstream upstream(Duration timeout) {
        return new Upstream("local-test", null, null, Map.of(), timeout, null, model.toString(), ONE_SEQUENCE_ONE_WAITING);
    }

    static ModelRequest request(int maxTokens) {
        return new ModelRequest("tiny", List.of(ChatMessage.user("count to a thousand")), 0.7, null, maxTokens);
    }

    /** Starts a long answer whose consumer stops at its first token until released, so it keeps its sequence. */
    CompletableFuture<Void> occupy() {
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> provider.stream(upstream(Duration.ofSeconds(30)),
                request(400), event -> awaitRelease(), new Cancellation()), requests);
        await(() -> engine.busy() == 1);
        return done;
    }

    @Test
    void should_refuse_as_overloaded_when_every_sequence_is_busy_and_the_line_is_full() throws Exception {
        CompletableFuture<Void> first = occupy();
        CompletableFuture<Completion> waiting = CompletableFuture.supplyAsync(
                () -> provider.complete(upstream(Duration.ofSeconds(30)), request(5), new Cancellation()), requests);
        await(() -> engine.waiting() == 1);

        assertThatThrownBy(() -> provider.complete(upstream(Duration.ofSeconds(30)), request(5), new Cancellation()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.error()).isInstanceOf(UpstreamError.Overloaded.class);
                    assertThat(e.error().retryable()).isTrue();
                    assertThat(e.error().coolsChannel()).isFalse();
                    assertThat(e.getMessage()).contains("all 1 sequences are busy and 1 requests are waiting");
                });

        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        assertThat(waiting.get(30, TimeUnit.SECONDS).usage().completionTokens()).isEqualTo(5);
    }

    @Test
    void should_give_up_waiting_in_line_as_overloaded_when_no_sequence_frees_in_time() throws Exception {
        occupy();

        assertThatThrownBy(() -> provider.complete(upstream(Duration.ofMillis(300)), request(5), new Cancellation()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.error()).isInstanceOf(UpstreamError.Overloaded.class);
                    assertThat(e.getMessage()).contains("no sequence became free within 300 ms");
                });
        assertThat(engine.waiting()).isZero(); // it left the line
    }

    @Test
    void should_leave_the_line_at_once_when_the_client_leaves_while_waiting() throws Exception {
        occupy();
        Cancellation cancellation = new Cancellation();
        CompletableFuture<Completion> waiting = CompletableFuture.supplyAsync(
                () -> provider.complete(upstream(Duration.ofSeconds(30)), request(5), cancellation), requests);
        await(() -> engine.waiting() == 1);

        cancellation.cancel();

        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(CallCancelledException.class);
        assertThat(engine.waiting()).isZero();
    }

    @Test
    void should_stop_generating_when_the_consumer_of_a_stream_fails() {
        long before = engine.generatedTokens();
        AtomicInteger received = new AtomicInteger();

        assertThatThrownBy(() -> provider.stream(upstream(Duration.ofSeconds(30)), request(400), event -> {
            if (event instanceof StreamEvent.Delta && received.incrementAndGet() == 3) {
                throw new CallCancelledException("the client closed the stream");
            }
        }, new Cancellation())).isInstanceOf(CallCancelledException.class);

        await(() -> engine.busy() == 0); // the sequence is free again
        // At most the hand-off's worth of tokens went ahead of the consumer before the receiver stopped.
        assertThat(engine.generatedTokens() - before).isLessThan(100);
        Completion next = provider.complete(upstream(Duration.ofSeconds(30)), request(5), new Cancellation());
        assertThat(next.usage().completionTokens()).isEqualTo(5);
    }

    @Test
    void should_stop_generating_when_cancelled_from_another_thread() throws Exception {
        Cancellation cancellation = new Cancellation();
        long before = engine.generatedTokens();
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> provider.stream(upstream(Duration.ofSeconds(30)),
                request(400), event -> awaitRelease(), cancellation), requests);
        await(() -> engine.busy() == 1);

        cancellation.cancel(); // the SSE keep-alive thread does this when the client is gone

        assertThatThrownBy(() -> stream.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(CallCancelledException.class);
        await(() -> engine.busy() == 0);
        assertThat(engine.generatedTokens() - before).isLessThan(100);
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            throw new CallCancelledException("interrupted");
        }
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
