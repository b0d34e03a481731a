package io.chatai.channel;

import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.StreamSink;
import io.chatai.core.message.TokenUsage;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import io.chatai.tokens.TokenCounter;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs a model request through the {@link ChannelRouter} and accounts for every call it makes: latency,
 * time to first token, tokens (the upstream's, or counted here when it reported none) and outcome go to
 * the {@link CallListener}, failed attempts included. The only place usage is estimated, and the one
 * place an answer's text is bounded ({@code CHATAI_MAX_ANSWER_CHARS}): an upstream that streams without
 * end is stopped there, its connection closed, whatever its wire format. Each request is first put to the
 * {@link CallAdmission} (budgets), which may refuse it before any upstream is called. Thread-safe.
 */
public final class ModelCalls {
    private final ChannelRouter router;
    private final TokenCounter tokens;
    private final CallListener listener;
    private final CallAdmission admission;
    private final int maxAnswerChars;

    public ModelCalls(ChannelRouter router, TokenCounter tokens, CallListener listener, int maxAnswerChars) {
        this(router, tokens, listener, CallAdmission.OPEN, maxAnswerChars);
    }

    /** @param admission asked before each request reaches any upstream (budgets), told what its calls cost */
    public ModelCalls(ChannelRouter router, TokenCounter tokens, CallListener listener, CallAdmission admission,
                      int maxAnswerChars) {
        this.router = router;
        this.tokens = tokens;
        this.listener = listener;
        this.admission = admission;
        this.maxAnswerChars = maxAnswerChars;
    }

    /** The answer (with usage always set) and the channel that gave it. */
    public record Result(Completion completion, Channel channel) {
        public TokenUsage usage() {
            return completion.usage();
        }
    }

    /** Fails fast when no enabled channel serves the model at all. */
    public void requireCandidates(String model) {
        router.requireCandidates(model);
    }

    public Result complete(ModelRequest request, CallContext context, Cancellation cancellation) {
        return run(request, context, cancellation, null, () -> false);
    }

    /**
     * Streams the answer: each attempt gets a fresh sink from {@code sinks}, since a failover only happens
     * while nothing reached the client.
     */
    public Result stream(ModelRequest request, CallContext context, Cancellation cancellation, Supplier<StreamSink> sinks,
                         BooleanSupplier contentSent) {
        return run(request, context, cancellation, sinks, contentSent);
    }

    private Result run(ModelRequest request, CallContext context, Cancellation cancellation, Supplier<StreamSink> sinks,
                       BooleanSupplier contentSent) {
        router.requireCandidates(request.model()); // a model nobody serves is that, whatever the budgets say
        // Admitted (or refused) before any upstream is called; closing settles to what the calls reported.
        try (CallAdmission.Admitted admitted = admission.admit(context, request.model(),
                () -> tokens.countPrompt(request.messages()), request.maxTokens())) {
            return route(request, context, cancellation, sinks, contentSent, report -> {
                listener.onCall(report);
                admitted.onCall(report);
            });
        }
    }

    private Result route(ModelRequest request, CallContext context, Cancellation cancellation, Supplier<StreamSink> sinks,
                         BooleanSupplier contentSent, CallListener listener) {
        var routed = router.route(request.model(), (channel, provider, upstream, upstreamModel) -> {
            ModelRequest upstreamRequest = request.withModel(upstreamModel);
            long started = System.nanoTime();
            long[] firstToken = {0};
            StringBuilder text = new StringBuilder();
            try {
                Completion completion;
                if (sinks == null) {
                    completion = provider.complete(upstream, upstreamRequest, cancellation);
                    if (completion.text().length() > maxAnswerChars) {
                        throw answerTooLong();
                    }
                } else {
                    StreamSink sink = sinks.get();
                    Completion[] done = {null};
                    provider.stream(upstream, upstreamRequest, event -> {
                        switch (event) {
                            case StreamEvent.Delta delta -> {
                                if (firstToken[0] == 0) {
                                    firstToken[0] = System.nanoTime();
                                }
                                text.append(delta.text());
                                if (text.length() > maxAnswerChars) {
                                    // Thrown inside the adapter's read loop, which closes the connection on its way out.
                                    throw answerTooLong();
                                }
                            }
                            case StreamEvent.Done finished ->
                                    done[0] = new Completion(text.toString(), finished.usage(), finished.finishReason());
                        }
                        sink.accept(event);
                    }, cancellation);
                    completion = done[0];
                }
                TokenUsage usage = completion.usage() != null ? completion.usage()
                        : new TokenUsage(tokens.countPrompt(request.messages()), tokens.count(completion.text()), true);
                Completion accounted = new Completion(completion.text(), usage, completion.finishReason());
                report(listener, context, channel, request, "ok", started, firstToken[0], usage, null, false, false);
                return accounted;
            } catch (UpstreamException e) {
                boolean cancelled = cancellation.isCancelled();
                boolean afterContent = !cancelled && contentSent.getAsBoolean();
                report(listener, context, channel, request, cancelled ? "cancelled" : "error", started, firstToken[0],
                        partialUsage(request, text), cancelled ? null : e, !cancelled && e.error().retryable() && !afterContent,
                        afterContent);
                throw e;
            } catch (CallCancelledException e) {
                report(listener, context, channel, request, "cancelled", started, firstToken[0], partialUsage(request, text),
                        null, false, false);
                throw e;
            }
        }, cancellation, contentSent);
        return new Result(routed.result(), routed.channel());
    }

    private UpstreamException answerTooLong() {
        return new UpstreamException(new UpstreamError.LimitExceeded(
                "the answer is longer than CHATAI_MAX_ANSWER_CHARS (" + maxAnswerChars + " characters)"));
    }

    /** What a call that ended early cost: the prompt it read and whatever it generated before it ended. */
    private TokenUsage partialUsage(ModelRequest request, StringBuilder text) {
        if (text.isEmpty()) {
            return new TokenUsage(0, 0, true);
        }
        return new TokenUsage(tokens.countPrompt(request.messages()), tokens.count(text.toString()), true);
    }

    private static void report(CallListener listener, CallContext context, Channel channel, ModelRequest request,
                               String outcome, long started, long firstToken, TokenUsage usage, UpstreamException error,
                               boolean failedOver, boolean afterContent) {
        listener.onCall(new CallReport(context, channel, request.model(), outcome, System.nanoTime() - started,
                firstToken == 0 ? null : firstToken - started, usage, error == null ? null : error.error(), failedOver,
                afterContent));
    }
}
