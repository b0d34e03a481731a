package io.chatai.channel;

import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.message.Completion;
import io.chatai.core.message.CompletionBuilder;
import io.chatai.core.message.Parts;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.StreamSink;
import io.chatai.core.message.TokenUsage;
import io.chatai.provider.Provider;
import io.chatai.provider.RawRelay;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import io.chatai.tokens.TokenCounter;
import java.util.Optional;
import java.util.Set;
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
    /**
     * The most parts (text, reasoning blocks, tool calls) one answer may have: an upstream that opens a new
     * part with every empty delta would otherwise grow the answer without adding to its characters.
     */
    static final int MAX_PARTS = 1024;

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

    /**
     * The answer (with usage always set) and the channel that gave it.
     *
     * @param body the relayed non-streamed answer for the caller, when a {@link RawRelay} channel served a
     *             {@link #relay} call; null otherwise
     */
    public record Result(Completion completion, Channel channel, String body) {
        public Result(Completion completion, Channel channel) {
            this(completion, channel, null);
        }

        public TokenUsage usage() {
            return completion.usage();
        }
    }

    /** Whether some enabled channel serves the model with images (one not listing it in {@code textOnlyModels}). */
    public boolean seesImages(String model) {
        return router.seesImages(model);
    }

    /** The provider types that may answer a request for the model carrying images (for their token estimates). */
    public Set<String> imageProviderTypes(String model) {
        return router.imageProviderTypes(model);
    }


    /** Fails fast when no enabled channel serves the model at all. */
    public void requireCandidates(String model) {
        router.requireCandidates(model);
    }

    public Result complete(ModelRequest request, CallContext context, Cancellation cancellation) {
        return run(request, null, null, context, cancellation, null, () -> false);
    }

    /**
     * Streams the answer: each attempt gets a fresh sink from {@code sinks}, since a failover only happens
     * while nothing reached the client.
     */
    public Result stream(ModelRequest request, CallContext context, Cancellation cancellation, Supplier<StreamSink> sinks,
                         BooleanSupplier contentSent) {
        return run(request, null, null, context, cancellation, sinks::get, contentSent);
    }

    /**
     * A caller's request in a provider's own wire format: relayed unchanged by the channels whose provider
     * speaks it ({@link RawRelay}), translated from {@code request} by the others. Channels that cannot
     * honour it are skipped: a translating channel when {@code relayOnly} names a field only a relay can
     * carry, or when its provider refuses a field. Streamed when {@code sinks} is given: a relaying attempt
     * forwards the upstream's payloads to {@link RawRelay.Sink#forward}, a translating one its events to
     * {@link RawRelay.Sink#accept}.
     *
     * @param relayOnly the first field of the request that only a relay can carry, or null
     */
    public Result relay(ModelRequest request, RawRelay.Request raw, String relayOnly, CallContext context,
                        Cancellation cancellation, Supplier<RawRelay.Sink> sinks, BooleanSupplier contentSent) {
        return run(request, raw, relayOnly, context, cancellation, sinks == null ? null : sinks::get, contentSent);
    }

    private Result run(ModelRequest request, RawRelay.Request raw, String relayOnly, CallContext context,
                       Cancellation cancellation, Supplier<StreamSink> sinks, BooleanSupplier contentSent) {
        router.requireCandidates(request.model()); // a model nobody serves is that, whatever the budgets say
        // Admitted (or refused) before any upstream is called; closing settles to what the calls reported.
        try (CallAdmission.Admitted admitted = admission.admit(context, request.model(),
                () -> tokens.countPrompt(request.messages()), request.options().maxTokens())) {
            return route(request, raw, relayOnly, context, cancellation, sinks, contentSent, report -> {
                listener.onCall(report);
                admitted.onCall(report);
            });
        }
    }

    private Result route(ModelRequest request, RawRelay.Request raw, String relayOnly, CallContext context,
                         Cancellation cancellation, Supplier<StreamSink> sinks, BooleanSupplier contentSent,
                         CallListener listener) {
        ChannelRouter.Screen screen = (channel, provider, upstreamModel) -> {
            if (relayOf(channel, provider, raw) != null) {
                return Optional.empty(); // the upstream gets the caller's own request and judges it
            }
            return relayOnly != null ? Optional.of(relayOnly) : provider.unsupported(request.withModel(upstreamModel));
        };
        String[] relayed = {null};
        // With images in the request only channels that take them for this model are candidates: no failover
        // from a vision channel to a text-only one, which would answer about a picture it never saw.
        boolean images = Parts.anyImage(request.messages());
        var routed = router.route(request.model(), CallPurpose.CHAT, channel -> !images || !channel.textOnly(request.model()),
                screen, (channel, provider, upstream, upstreamModel) -> {
            long started = System.nanoTime();
            long[] firstToken = {0};
            CompletionBuilder answer = new CompletionBuilder(); // what a stream produced, also when it breaks
            try {
                Completion completion;
                if (sinks == null) {
                    RawRelay relay = relayOf(channel, provider, raw);
                    if (relay != null) {
                        RawRelay.Answer done = relay.relay(upstream, raw, upstreamModel, request.model(), null, cancellation);
                        completion = done.completion();
                        relayed[0] = done.body();
                    } else {
                        completion = provider.complete(upstream, request.withModel(upstreamModel), cancellation);
                        relayed[0] = null;
                    }
                    if (Parts.chars(completion.content()) > maxAnswerChars || completion.content().size() > MAX_PARTS) {
                        throw answerTooLong();
                    }
                } else {
                    StreamSink sink = sinks.get();
                    Completion[] done = {null};
                    StreamSink accounted = event -> {
                        if (event instanceof StreamEvent.Done finished) {
                            done[0] = answer.build(finished.finishReason(), finished.usage());
                        } else {
                            if (firstToken[0] == 0) {
                                firstToken[0] = System.nanoTime();
                            }
                            answer.accept(event);
                            if (answer.chars() > maxAnswerChars || answer.partCount() > MAX_PARTS) {
                                // Thrown inside the adapter's read loop, which closes the connection on its way out.
                                throw answerTooLong();
                            }
                        }
                    };
                    RawRelay relay = relayOf(channel, provider, raw);
                    if (relay != null) {
                        RawRelay.Sink target = (RawRelay.Sink) sink;
                        relay.relay(upstream, raw, upstreamModel, request.model(), new RawRelay.Sink() {
                            @Override
                            public void accept(StreamEvent event) {
                                accounted.accept(event); // counted and bounded only: the payload itself is forwarded
                            }

                            @Override
                            public void forward(String data) {
                                target.forward(data);
                            }

                            @Override
                            public void forward(String event, String data) {
                                target.forward(event, data);
                            }
                        }, cancellation);
                    } else {
                        provider.stream(upstream, request.withModel(upstreamModel), event -> {
                            accounted.accept(event);
                            sink.accept(event);
                        }, cancellation);
                    }
                    completion = done[0];
                }
                TokenUsage usage = completion.usage() != null ? completion.usage()
                        : new TokenUsage(tokens.countPrompt(request.messages()), tokens.count(Parts.countedText(completion.content())), true);
                Completion accounted = completion.withUsage(usage);
                report(listener, context, channel, request, "ok", started, firstToken[0], usage, null, false, false);
                return accounted;
            } catch (UpstreamException e) {
                boolean cancelled = cancellation.isCancelled();
                boolean afterContent = !cancelled && contentSent.getAsBoolean();
                report(listener, context, channel, request, cancelled ? "cancelled" : "error", started, firstToken[0],
                        partialUsage(request, answer), cancelled ? null : e, !cancelled && e.error().retryable() && !afterContent,
                        afterContent);
                throw e;
            } catch (CallCancelledException e) {
                report(listener, context, channel, request, "cancelled", started, firstToken[0], partialUsage(request, answer), null, false,
                        false);
                throw e;
            }
        }, cancellation, contentSent);
        return new Result(routed.result(), routed.channel(), relayed[0]);
    }

    /** The channel's provider as the relay of {@code raw}, or null when this channel translates the request. */
    private static RawRelay relayOf(Channel channel, Provider provider, RawRelay.Request raw) {
        if (raw == null || !(provider instanceof RawRelay relay) || !relay.relays(channel.options(), raw)) {
            return null;
        }
        return raw.onlyChannelId() == null || raw.onlyChannelId().equals(channel.id()) ? relay : null;
    }

    private UpstreamException answerTooLong() {
        return new UpstreamException(new UpstreamError.LimitExceeded("the answer is longer than CHATAI_MAX_ANSWER_CHARS ("
                + maxAnswerChars + " characters) or has more than " + MAX_PARTS + " parts"));
    }

    /** What a call that ended early cost: the prompt it read and whatever it generated before it ended. */
    private TokenUsage partialUsage(ModelRequest request, CompletionBuilder answer) {
        if (answer.isEmpty()) {
            return new TokenUsage(0, 0, true);
        }
        String produced = Parts.countedText(answer.build(null, null).content());
        return new TokenUsage(tokens.countPrompt(request.messages()), tokens.count(produced), true);
    }

    private static void report(CallListener listener, CallContext context, Channel channel, ModelRequest request,
                               String outcome, long started, long firstToken, TokenUsage usage, UpstreamException error,
                               boolean failedOver, boolean afterContent) {
        listener.onCall(new CallReport(context, channel, request.model(), outcome, System.nanoTime() - started,
                firstToken == 0 ? null : firstToken - started, usage, error == null ? null : error.error(), failedOver,
                afterContent));
    }
}
