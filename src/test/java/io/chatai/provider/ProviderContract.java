package io.chatai.provider;

import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.TokenUsage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.testing.FakeUpstream;
import io.chatai.testing.JavaNames;
import io.chatai.testing.RawUpstream;
import io.chatai.testing.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every provider adapter must do, checked against a fake server speaking that provider's real wire
 * format: where the system prompt goes, usage from the provider's own fields, streaming to the end
 * marker, every status and transport failure mapped into the {@link UpstreamError} taxonomy, timeouts,
 * and a cancel closing the upstream connection within a second. Each adapter has one subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProviderContract {
    static final String KEY = "sk-contract-key-0000abcd";
    final UpstreamHttp http = new UpstreamHttp();
    final FakeUpstream fake = newFake();
    final Provider provider = newProvider(http);

    abstract FakeUpstream newFake();

    abstract Provider newProvider(UpstreamHttp http);

    @BeforeEach
    void reset() {
        fake.resetScript();
    }

    @AfterAll
    void stop() {
        fake.close();
        http.close();
    }

    Upstream upstream(Duration timeout) {
        return new Upstream("contract", fake.baseUrl(), KEY, Map.of(), timeout, null);
    }

    static ModelRequest request(String model) {
        return new ModelRequest(model, List.of(ChatMessage.system("Be brief."), ChatMessage.user("hi"),
                ChatMessage.assistant("hello"), ChatMessage.user("how are you?")), 0.5, null, 100);
    }

    /** Streams and collects the events; a failure is rethrown after the events seen before it. */
    List<StreamEvent> stream(Reply reply, List<StreamEvent> seen) {
        fake.always(reply);
        provider.stream(upstream(Duration.ofSeconds(5)), request("model-x"), seen::add, new Cancellation());
        return seen;
    }

    @Test
    void should_send_the_system_prompt_where_the_provider_expects_it_with_the_key_and_model() {
        provider.complete(upstream(Duration.ofSeconds(5)), request("model-x"), new Cancellation());

        FakeUpstream.Recorded sent = fake.requests().getLast();
        assertThat(fake.systemPromptOf(sent)).isEqualTo("Be brief.");
        assertThat(fake.conversationOf(sent)).containsExactly("user: hi", "assistant: hello", "user: how are you?");
        assertThat(sent.model()).isEqualTo("model-x");
        assertThat(sent.apiKey()).isEqualTo(KEY);
        assertThat(sent.path() + "?" + sent.query()).doesNotContain(KEY);
    }

    @Test
    void should_complete_with_the_text_and_the_providers_own_usage() {
        fake.always(Reply.text("Hello ", "there"));

        Completion completion = provider.complete(upstream(Duration.ofSeconds(5)), request("model-x"), new Cancellation());

        assertThat(completion.text()).isEqualTo("Hello there");
        assertThat(completion.usage()).isEqualTo(new TokenUsage(11, 2, false));
        assertThat(completion.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void should_stream_each_delta_then_done_with_the_providers_own_usage() {
        List<StreamEvent> events = stream(Reply.text("a", "b", "c"), new CopyOnWriteArrayList<>());

        assertThat(events).startsWith(new StreamEvent.TextDelta(0, "a"), new StreamEvent.TextDelta(0, "b"), new StreamEvent.TextDelta(0, "c"));
        assertThat(events).hasSize(4).last().isInstanceOfSatisfying(StreamEvent.Done.class,
                done -> assertThat(done.usage()).isEqualTo(new TokenUsage(11, 3, false)));
        assertThat(fake.conversationOf(fake.requests().getLast())).hasSize(3);
        assertThat(fake.systemPromptOf(fake.requests().getLast())).isEqualTo("Be brief.");
    }

    @Test
    void should_report_no_usage_when_the_provider_sends_none() {
        fake.always(Reply.text("quiet").withoutUsage());
        assertThat(provider.complete(upstream(Duration.ofSeconds(5)), request("m"), new Cancellation()).usage()).isNull();

        List<StreamEvent> events = stream(Reply.text("quiet").withoutUsage(), new CopyOnWriteArrayList<>());
        assertThat(events.getLast()).isInstanceOfSatisfying(StreamEvent.Done.class, done -> assertThat(done.usage()).isNull());
    }

    @ParameterizedTest
    @CsvSource({"400, BadRequest", "401, AuthFailed", "403, AuthFailed", "404, NotFound", "408, Timeout",
            "422, BadRequest", "429, RateLimited", "500, ServerError", "503, ServerError", "529, ServerError"})
    void should_map_every_status_into_the_taxonomy_and_scrub_the_key(int status, String kind) {
        fake.always(Reply.status(status, "refused " + KEY).withRetryAfter(status == 429 ? "12" : null));

        for (boolean streaming : new boolean[] {false, true}) {
            assertThatThrownBy(() -> call(streaming)).isInstanceOfSatisfying(UpstreamException.class, e -> {
                assertThat(e.error().getClass().getSimpleName()).isEqualTo(kind);
                assertThat(e.error().status()).isEqualTo(status);
                assertThat(e.getMessage()).doesNotContain(KEY);
                if (e.error() instanceof UpstreamError.RateLimited limited) {
                    assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(12));
                }
                if (!(e.error() instanceof UpstreamError.Timeout)) {
                    assertThat(e.getMessage()).contains("refused");
                }
            });
        }
    }

    @Test
    void should_treat_a_stream_ending_without_its_end_marker_as_broken() {
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> stream(Reply.text("half ", "an answer").brokenAfterChunks(), seen))
                .isInstanceOfSatisfying(UpstreamException.class,
                        e -> assertThat(e.error()).isInstanceOf(UpstreamError.BrokenStream.class));
        assertThat(seen).containsExactly(new StreamEvent.TextDelta(0, "half "), new StreamEvent.TextDelta(0, "an answer"));
    }

    @Test
    void should_complete_a_stream_that_ends_after_its_finish_reason_without_an_end_marker() {
        List<StreamEvent> events = stream(Reply.text("a", "b").with(Reply.Fault.NO_END_MARKER), new CopyOnWriteArrayList<>());

        assertThat(events).startsWith(new StreamEvent.TextDelta(0, "a"), new StreamEvent.TextDelta(0, "b"));
        assertThat(events).hasSize(3).last().isInstanceOfSatisfying(StreamEvent.Done.class, done -> {
            assertThat(done.usage()).isEqualTo(new TokenUsage(11, 2, false));
            assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
        });
    }

    @ParameterizedTest
    @EnumSource(value = RawUpstream.Framing.class, names = {"CLOSE_DELIMITED", "CHUNKED_CUT", "RESET"})
    void should_complete_a_stream_whose_connection_closes_after_its_finish_reason(RawUpstream.Framing framing) {
        String body = fake.renderStream(Reply.text("a", "b").with(Reply.Fault.NO_END_MARKER));
        List<StreamEvent> events = new CopyOnWriteArrayList<>();
        try (RawUpstream raw = new RawUpstream(framing, "text/event-stream", body)) {
            provider.stream(rawUpstream(raw), request("m"), events::add, new Cancellation());
        }

        assertThat(events).startsWith(new StreamEvent.TextDelta(0, "a"), new StreamEvent.TextDelta(0, "b"));
        assertThat(events.getLast()).isInstanceOf(StreamEvent.Done.class);
    }

    @Test
    void should_read_a_whole_answer_whose_body_ends_where_the_connection_closes() {
        String body = fake.renderCompletion(Reply.text("Hello ", "there"));
        try (RawUpstream raw = new RawUpstream(RawUpstream.Framing.CLOSE_DELIMITED, "application/json", body)) {
            assertThat(provider.complete(rawUpstream(raw), request("m"), new Cancellation()).text()).isEqualTo("Hello there");
        }
    }

    @ParameterizedTest
    @EnumSource(RawUpstream.Framing.class)
    void should_call_a_stream_that_ends_before_its_finish_reason_broken_in_words_without_java_names(RawUpstream.Framing framing) {
        String body = fake.renderStream(Reply.text("half ", "an answer").brokenAfterChunks());
        for (boolean streaming : new boolean[] {true, false}) {
            try (RawUpstream raw = new RawUpstream(framing, streaming ? "text/event-stream" : "application/json",
                    streaming ? body : body.substring(0, body.length() / 2))) {
                assertThatThrownBy(() -> call(rawUpstream(raw), streaming)).isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.error().retryable()).as(e.getMessage()).isTrue();
                    JavaNames.assertNone(e.getMessage());
                });
            }
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a TLS handshake nobody answers once hung forever
    void should_describe_transport_failures_without_java_names() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> described = new ArrayList<>();
        for (String baseUrl : List.of("http://127.0.0.1:" + port, "https://127.0.0.1:" + port)) {
            try {
                provider.complete(new Upstream("closed", baseUrl, KEY, Map.of(), Duration.ofSeconds(2), null), request("m"), new Cancellation());
            } catch (UpstreamException e) {
                described.add(e.getMessage());
            }
        }
        try (RawUpstream plain = new RawUpstream(RawUpstream.Framing.CLOSE_DELIMITED, "application/json", "{}")) {
            try { // TLS spoken to a plain HTTP server
                provider.complete(new Upstream("tls", plain.origin().replace("http:", "https:"), KEY, Map.of(), Duration.ofSeconds(2), null),
                        request("m"), new Cancellation());
            } catch (UpstreamException e) {
                described.add(e.getMessage());
            }
        }

        assertThat(described).hasSize(3).allSatisfy(JavaNames::assertNone);
    }

    @Test
    void should_stop_a_stream_whose_event_line_never_ends_and_close_its_connection() {
        int closedBefore = fake.closedEarly();

        assertThatThrownBy(() -> stream(Reply.text("hi").with(Reply.Fault.ENDLESS_LINE), new CopyOnWriteArrayList<>()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.error()).isInstanceOf(UpstreamError.LimitExceeded.class);
                    assertThat(e.error().retryable()).isFalse();
                    assertThat(e.getMessage()).contains("4194304 bytes");
                });
        assertUpstreamSawItsConnectionClosed(closedBefore);
    }

    @Test
    void should_stop_a_json_answer_that_never_ends_and_close_its_connection() {
        fake.always(Reply.text("hi").with(Reply.Fault.ENDLESS_BODY));
        int closedBefore = fake.closedEarly();

        assertThatThrownBy(() -> provider.complete(upstream(Duration.ofSeconds(5)), request("m"), new Cancellation()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.error()).isInstanceOf(UpstreamError.LimitExceeded.class);
                    assertThat(e.getMessage()).contains("4194304 bytes");
                });
        assertUpstreamSawItsConnectionClosed(closedBefore);
    }

    @Test
    void should_stop_a_stream_that_trickles_past_the_total_timeout_and_close_its_connection() {
        // Each gap is well within the 5 s read timeout; only the bound on the whole call can end this.
        fake.always(Reply.text("slow").withGap(Duration.ofMillis(100)).with(Reply.Fault.ENDLESS_DELTAS));
        int closedBefore = fake.closedEarly();
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();

        assertThatThrownBy(() -> provider.stream(upstream(Duration.ofSeconds(5)).withTotalTimeout(Duration.ofMillis(1500)),
                request("m"), seen::add, new Cancellation()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.error()).isInstanceOf(UpstreamError.LimitExceeded.class);
                    assertThat(e.getMessage()).contains("totalTimeoutMs (1500 ms)");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(5));
        assertThat(seen).hasSizeGreaterThan(3);
        assertThat(Thread.currentThread().isInterrupted()).as("the deadline's interrupt does not leak").isFalse();
        assertUpstreamSawItsConnectionClosed(closedBefore);
    }

    @Test
    void should_bound_the_wait_for_the_first_byte_by_the_total_timeout_too() {
        fake.always(Reply.hanging());
        for (boolean streaming : new boolean[] {false, true}) {
            Upstream bounded = upstream(Duration.ofSeconds(10)).withTotalTimeout(Duration.ofMillis(500));
            assertThatThrownBy(() -> call(bounded, streaming)).isInstanceOfSatisfying(UpstreamException.class,
                    e -> assertThat(e.error()).isInstanceOf(UpstreamError.LimitExceeded.class));
        }
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void should_leave_a_call_that_ends_in_time_untouched_by_its_deadline() throws Exception {
        Upstream bounded = upstream(Duration.ofSeconds(5)).withTotalTimeout(Duration.ofMillis(300));
        assertThat(provider.complete(bounded, request("m"), new Cancellation()).text()).isNotEmpty();

        Thread.sleep(600); // past the deadline of the finished call: it must not interrupt this thread now
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(provider.complete(bounded, request("m"), new Cancellation()).text()).isNotEmpty();
    }

    private void assertUpstreamSawItsConnectionClosed(int closedBefore) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (fake.closedEarly() == closedBefore && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        assertThat(fake.closedEarly()).as("the upstream saw its connection closed").isEqualTo(closedBefore + 1);
    }

    Upstream rawUpstream(RawUpstream raw) {
        return new Upstream("raw", raw.origin(), KEY, Map.of(), Duration.ofSeconds(5), null);
    }

    @Test
    void should_fail_retryably_on_an_overload_reported_inside_the_stream() {
        assertThatThrownBy(() -> stream(Reply.text().failingMidStream(529, "Overloaded"), new CopyOnWriteArrayList<>()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.error().retryable()).isTrue());
    }

    @Test
    void should_time_out_when_no_first_byte_comes_within_the_timeout() {
        fake.always(Reply.hanging());
        for (boolean streaming : new boolean[] {false, true}) {
            // A platform thread is bounded by the socket's read timeout, a virtual one (every request's) by the call's deadline.
            assertThatThrownBy(() -> call(streaming, Duration.ofMillis(300))).isInstanceOfSatisfying(UpstreamException.class,
                    e -> assertThat(e.error()).isInstanceOf(UpstreamError.Timeout.class));
            long started = System.nanoTime();
            assertThat(onVirtualThread(() -> call(streaming, Duration.ofMillis(300)))).isInstanceOfSatisfying(UpstreamException.class,
                    e -> assertThat(e.error()).isInstanceOfSatisfying(UpstreamError.Timeout.class,
                            timeout -> assertThat(timeout.phase()).contains("first byte")));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without a bound on the send this hangs
    void should_time_out_sending_a_request_the_upstream_never_reads() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            silent.setReceiveBufferSize(4096);
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepts, never reads
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            Upstream upstream = new Upstream("silent", "http://127.0.0.1:" + silent.getLocalPort(), KEY, Map.of(), Duration.ofMillis(500), null);
            // Far more than the loopback socket buffers hold, so the send blocks until the upstream reads.
            ModelRequest huge = new ModelRequest("m", List.of(ChatMessage.user("x".repeat(24 << 20))), 0.5, null, 100);
            long started = System.nanoTime();

            Throwable failure = onVirtualThread(() -> provider.complete(upstream, huge, new Cancellation()));

            assertThat(failure).isInstanceOfSatisfying(UpstreamException.class,
                    e -> assertThat(e.error()).isInstanceOf(UpstreamError.Timeout.class));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** Runs the call on a virtual thread, as the server runs every request, and returns what it threw (null if nothing). */
    static Throwable onVirtualThread(Runnable call) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                call.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
        return thrown.get();
    }

    @Test
    void should_time_out_when_the_stream_goes_silent_after_its_headers() {
        fake.always(Reply.stalling());
        for (boolean streaming : new boolean[] {false, true}) {
            assertThatThrownBy(() -> call(streaming, Duration.ofMillis(300))).isInstanceOfSatisfying(UpstreamException.class,
                    e -> assertThat(e.error()).isInstanceOf(UpstreamError.Timeout.class));
        }
    }

    @Test
    void should_time_out_when_the_gap_between_chunks_exceeds_the_timeout() {
        fake.always(Reply.text("first", "late").withGap(Duration.ofSeconds(2)));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> provider.stream(upstream(Duration.ofMillis(300)), request("m"), seen::add, new Cancellation()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.error()).isInstanceOfSatisfying(
                        UpstreamError.Timeout.class, timeout -> assertThat(timeout.phase()).contains("next chunk")));
        assertThat(seen).containsExactly(new StreamEvent.TextDelta(0, "first"));

        List<StreamEvent> seenOnVirtual = new CopyOnWriteArrayList<>();
        assertThat(onVirtualThread(() -> provider.stream(upstream(Duration.ofMillis(300)), request("m"), seenOnVirtual::add, new Cancellation())))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.error()).isInstanceOfSatisfying(
                        UpstreamError.Timeout.class, timeout -> assertThat(timeout.phase()).contains("next chunk")));
        assertThat(seenOnVirtual).containsExactly(new StreamEvent.TextDelta(0, "first"));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void should_wait_for_a_slow_first_byte_within_the_timeout_on_a_virtual_thread() {
        for (boolean streaming : new boolean[] {false, true}) {
            fake.always(Reply.text("late").withFirstByte(Duration.ofMillis(700)));
            assertThat(onVirtualThread(() -> call(streaming, Duration.ofSeconds(5)))).as("streaming " + streaming).isNull();
        }
    }

    @Test
    void should_not_time_out_a_stream_whose_gaps_stay_within_the_timeout_however_long_it_runs() {
        fake.always(Reply.text("a", "b", "c", "d", "e", "f", "g", "h").withGap(Duration.ofMillis(150)));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();

        // ~1.2 s in all, four times the 300 ms bound on each wait: only a bound per wait lets this finish.
        assertThat(onVirtualThread(() -> provider.stream(upstream(Duration.ofMillis(300)), request("m"), seen::add, new Cancellation()))).isNull();
        assertThat(seen).hasSize(9).last().isInstanceOf(StreamEvent.Done.class);
    }

    @Test
    void should_report_an_upstream_nobody_listens_on_as_unreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Upstream closed = new Upstream("closed", "http://127.0.0.1:" + port, KEY, Map.of(), Duration.ofSeconds(2), null);

        assertThatThrownBy(() -> provider.complete(closed, request("m"), new Cancellation()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.error()).isInstanceOf(UpstreamError.Unreachable.class));
    }

    @Test
    void should_close_the_upstream_connection_within_a_second_of_a_cancel() throws Exception {
        fake.always(Reply.text("tick ".repeat(200).split("(?<= )")).withGap(Duration.ofMillis(50)));
        int closedBefore = fake.closedEarly();
        Cancellation cancellation = new Cancellation();
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        Thread call = Thread.ofVirtual().start(() -> {
            try {
                provider.stream(upstream(Duration.ofSeconds(5)), request("m"), seen::add, cancellation);
            } catch (UpstreamException expected) {
                // the cancel aborts the read
            }
        });
        long started = System.nanoTime();
        while (seen.size() < 3 && System.nanoTime() - started < Duration.ofSeconds(5).toNanos()) {
            Thread.sleep(5);
        }
        assertThat(seen).as("the stream started").hasSizeGreaterThanOrEqualTo(3);
        long cancelled = System.nanoTime();
        cancellation.cancel();

        assertThat(call.join(Duration.ofSeconds(1))).as("the call returned").isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (fake.closedEarly() == closedBefore && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(fake.closedEarly()).as("the upstream saw its connection closed").isEqualTo(closedBefore + 1);
        assertThat(Duration.ofNanos(fake.lastDisconnectNanos() - cancelled)).isLessThan(Duration.ofSeconds(1));
        assertThat(seen).hasSizeLessThan(100);
    }

    private void call(boolean streaming) {
        call(streaming, Duration.ofSeconds(5));
    }

    private void call(boolean streaming, Duration timeout) {
        call(upstream(timeout), streaming);
    }

    private void call(Upstream upstream, boolean streaming) {
        if (streaming) {
            provider.stream(upstream, request("m"), event -> { }, new Cancellation());
        } else {
            provider.complete(upstream, request("m"), new Cancellation());
        }
    }
}
