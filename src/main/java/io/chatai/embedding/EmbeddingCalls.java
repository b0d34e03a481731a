package io.chatai.embedding;

import io.chatai.channel.CallAdmission;
import io.chatai.channel.CallContext;
import io.chatai.channel.CallListener;
import io.chatai.channel.CallPurpose;
import io.chatai.channel.CallReport;
import io.chatai.channel.Channel;
import io.chatai.channel.ChannelCatalog;
import io.chatai.channel.ChannelRouter;
import io.chatai.core.ApiException;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.ErrorCode;
import io.chatai.core.message.TokenUsage;
import io.chatai.provider.Embedder;
import io.chatai.provider.EmbeddingAnswer;
import io.chatai.provider.EmbeddingCall;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import io.chatai.tokens.TokenArrays;
import io.chatai.tokens.TokenCounter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs an embeddings request where its model lives: the built-in {@value LocalEmbeddingModel#NAME} model
 * in-process, or the channels that list the model and whose type has an embeddings endpoint ({@code openai},
 * {@code gemini}), through the {@link ChannelRouter} with the same failover, cooldowns and key rotation as
 * chat. Every call, failed attempts included, goes to the {@link CallListener} with purpose
 * {@code embedding}: tokens as the upstream reported them, else counted here and marked estimated.
 * A channel that names {@value LocalEmbeddingModel#NAME} itself (not through "*") takes that name over.
 * Thread-safe.
 */
public final class EmbeddingCalls {
    /** Where calls to the built-in model went, as usage records and metrics name it. */
    static final Channel BUILT_IN = Channel.defaults("builtin", "built-in", "builtin", 0)
            .models(List.of(LocalEmbeddingModel.NAME)).build();

    private final ChannelCatalog catalog;
    private final ChannelRouter router;
    private final Map<String, Embedder> embedders;
    private final LocalEmbeddingModel local;
    private final TokenCounter tokens;
    private final TokenArrays tokenArrays;
    private final CallListener listener;
    private final CallAdmission admission;

    /** @param embedders the embeddings endpoint of each channel type that has one */
    public EmbeddingCalls(ChannelCatalog catalog, ChannelRouter router, Map<String, Embedder> embedders,
                          LocalEmbeddingModel local, TokenCounter tokens, TokenArrays tokenArrays, CallListener listener) {
        this(catalog, router, embedders, local, tokens, tokenArrays, listener, CallAdmission.OPEN);
    }

    /** @param admission asked before each request reaches a model (budgets: the inputs' tokens), told what its calls cost */
    public EmbeddingCalls(ChannelCatalog catalog, ChannelRouter router, Map<String, Embedder> embedders,
                          LocalEmbeddingModel local, TokenCounter tokens, TokenArrays tokenArrays, CallListener listener,
                          CallAdmission admission) {
        this.admission = admission;
        this.catalog = catalog;
        this.router = router;
        this.embedders = Map.copyOf(embedders);
        this.local = local;
        this.tokens = tokens;
        this.tokenArrays = tokenArrays;
        this.listener = listener;
    }

    /** The answer, the input tokens it cost (reported or counted) and the channel that gave it. */
    public record Result(EmbeddingAnswer answer, int promptTokens, String channel) { }

    /**
     * Embeds the request's inputs.
     *
     * @throws ApiException 400 when only channel types without embeddings list the model
     * @throws io.chatai.channel.RoutingException as the router fails, telling whether the model is served at all
     *                      and which upstream refusal ended it, for {@code /v1} to answer in OpenAI's terms
     */
    public Result embed(EmbeddingRequest request, CallContext context, Cancellation cancellation) {
        String model = request.model();
        boolean builtInName = model.equals(LocalEmbeddingModel.NAME);
        // The built-in name is taken over only by a channel that names it, never by a channel serving "*".
        Predicate<Channel> lists = channel -> channel.enabled() && (builtInName ? channel.names(model) : channel.serves(model));
        Predicate<Channel> takes = lists.and(channel -> embedders.containsKey(channel.type()));
        List<Channel> listing = catalog.all().stream().filter(lists).toList();
        Supplier<List<String>> texts = once(() -> texts(request));
        if (builtInName && listing.stream().noneMatch(takes)) {
            if (request.dimensions() != null && request.dimensions() != LocalEmbeddingModel.DIMENSIONS) {
                throw ApiException.invalid("dimensions: " + LocalEmbeddingModel.NAME + " makes vectors of "
                        + LocalEmbeddingModel.DIMENSIONS + " dimensions only, got " + request.dimensions());
            }
            try (CallAdmission.Admitted admitted = admit(request, context, texts)) {
                return builtIn(request, context, cancellation, heard(admitted));
            }
        }
        // No channel at all is the router's "model not served", answered like chat completions' unknown model.
        if (!listing.isEmpty() && listing.stream().noneMatch(takes)) {
            throw ApiException.invalid("model '" + model + "' is served only by channels of type "
                    + new TreeSet<>(listing.stream().map(Channel::type).toList()) + ", which have no embeddings endpoint; "
                    + "embeddings go to " + new TreeSet<>(embedders.keySet()) + " channels or to the built-in "
                    + LocalEmbeddingModel.NAME);
        }
        router.requireCandidates(model); // a model nobody serves is that, whatever the budgets say
        try (CallAdmission.Admitted admitted = admit(request, context, texts)) {
            return routed(request, context, cancellation, takes, texts, heard(admitted));
        }
    }

    /** Embeddings generate nothing: the worst case is the inputs' tokens. */
    private CallAdmission.Admitted admit(EmbeddingRequest request, CallContext context, Supplier<List<String>> texts) {
        return admission.admit(context, request.model(), () -> countTokens(request, texts), 0);
    }

    /** Every call is heard by the listener (usage, metrics) and by the request's admission (its budgets). */
    private CallListener heard(CallAdmission.Admitted admitted) {
        return report -> {
            listener.onCall(report);
            admitted.onCall(report);
        };
    }

    private Result routed(EmbeddingRequest request, CallContext context, Cancellation cancellation, Predicate<Channel> takes,
                          Supplier<List<String>> texts, CallListener listener) {
        String model = request.model();
        return router.route(model, CallPurpose.EMBEDDING, takes, (channel, provider, upstream, upstreamModel) -> {
            long started = System.nanoTime();
            try {
                EmbeddingAnswer answer = embedders.get(channel.type()).embed(upstream, new EmbeddingCall(upstreamModel,
                        request.inputs(), texts, request.dimensions(), request.body()), cancellation);
                boolean counted = answer.promptTokens() == null;
                int promptTokens = counted ? countTokens(request, texts) : answer.promptTokens();
                report(listener, context, channel, model, "ok", started, new TokenUsage(promptTokens, 0, counted), null, false);
                return new Result(answer, promptTokens, channel.name());
            } catch (UpstreamException e) {
                boolean cancelled = cancellation.isCancelled();
                report(listener, context, channel, model, cancelled ? "cancelled" : "error", started, new TokenUsage(0, 0, true),
                        cancelled ? null : e.error(), !cancelled && e.error().retryable());
                throw e;
            } catch (CallCancelledException e) {
                report(listener, context, channel, model, "cancelled", started, new TokenUsage(0, 0, true), null, false);
                throw e;
            }
        }, cancellation, () -> false).result();
    }

    private Result builtIn(EmbeddingRequest request, CallContext context, Cancellation cancellation, CallListener listener) {
        List<String> inputs = texts(request);
        long started = System.nanoTime();
        try {
            LocalEmbeddingModel.Result result = local.embedAll(inputs, cancellation);
            report(listener, context, BUILT_IN, request.model(), "ok", started, new TokenUsage(result.tokens(), 0, false), null, false);
            return new Result(new EmbeddingAnswer.Vectors(result.vectors(), result.tokens()), result.tokens(), BUILT_IN.name());
        } catch (ApiException e) {
            if (e.code() != ErrorCode.INVALID_REQUEST) { // busy or not loadable: the caller's input was fine
                UpstreamError failure = e.retryAfterSeconds() != null
                        ? new UpstreamError.Overloaded(e.getMessage()) : new UpstreamError.ServerError(500, e.getMessage());
                report(listener, context, BUILT_IN, request.model(), "error", started, new TokenUsage(0, 0, true), failure, false);
            }
            throw e;
        } catch (CallCancelledException e) {
            report(listener, context, BUILT_IN, request.model(), "cancelled", started, new TokenUsage(0, 0, true), null, false);
            throw e;
        }
    }

    /** The inputs as text: token arrays read back with OpenAI's embedding tokenizer. */
    private List<String> texts(EmbeddingRequest request) {
        if (request.texts() != null) {
            return request.texts();
        }
        List<int[]> arrays = request.tokenArrays();
        String[] texts = new String[arrays.size()];
        for (int i = 0; i < texts.length; i++) {
            try {
                texts[i] = tokenArrays.decode(arrays.get(i));
            } catch (RuntimeException e) {
                throw ApiException.invalid("input[" + i + "] holds a token that is not one of cl100k_base's, the tokenizer "
                        + "of OpenAI's embedding models; token arrays are read with it for upstreams that take text");
            }
        }
        return List.of(texts);
    }

    /** What an upstream that reported nothing would have counted: our tokenizer on text, the array lengths on tokens. */
    private int countTokens(EmbeddingRequest request, Supplier<List<String>> texts) {
        if (request.tokenArrays() != null) {
            return request.tokenArrays().stream().mapToInt(a -> a.length).sum();
        }
        return texts.get().stream().mapToInt(tokens::count).sum();
    }

    private static void report(CallListener listener, CallContext context, Channel channel, String model, String outcome,
                               long started, TokenUsage usage, UpstreamError error, boolean failedOver) {
        CallContext embedding = new CallContext(context.route(), context.keyId(), context.userId(), context.groupId(),
                context.conversationId(), CallPurpose.EMBEDDING);
        listener.onCall(new CallReport(embedding, channel, model, outcome, System.nanoTime() - started, null, usage, error,
                failedOver, false));
    }

    /** Computes the value on first use and keeps it; used by one request's thread at a time. */
    private static <T> Supplier<T> once(Supplier<T> compute) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = compute.get();
                }
                return value;
            }
        };
    }
}
