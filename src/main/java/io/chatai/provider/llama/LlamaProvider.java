package io.chatai.provider.llama;

import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.message.Completion;
import io.chatai.core.message.CompletionBuilder;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ModelRequest;
import io.chatai.provider.ChannelRules;
import io.chatai.provider.Provider;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.StreamSink;
import io.chatai.core.message.TokenUsage;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import io.chatai.provider.UpstreamFailures;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code local} channel type: a GGUF model run in-process by llama.cpp. The prompt is the model's own
 * chat template applied to the messages, tokens stream as they are generated, and usage is counted in
 * the model's own tokens; history that does not fit the model's context loses its oldest turns
 * ({@link ContextFit}). Sampling options, stop strings, the seed and structured output map onto llama.cpp
 * ({@link Sampling}); what the model cannot do is refused before any work ({@link LlamaRefusals}). A request that finds every sequence busy and the line full fails as
 * {@link UpstreamError.Overloaded}, so the router tries another channel. The channel's {@code timeoutMs}
 * bounds the wait for the first token (line and prompt evaluation included) and between tokens.
 * Thread-safe.
 */
public final class LlamaProvider implements Provider {
    private static final ChannelRules CHANNEL_RULES = new LlamaChannelRules();
    private final LlamaModels models;

    public LlamaProvider(LlamaModels models) {
        this.models = models;
    }

    @Override
    public Completion complete(Upstream upstream, ModelRequest request, Cancellation cancellation) {
        CompletionBuilder answer = new CompletionBuilder();
        StreamEvent.Done[] done = {null};
        stream(upstream, request, event -> {
            if (event instanceof StreamEvent.Done end) {
                done[0] = end;
            } else {
                answer.accept(event);
            }
        }, cancellation);
        return answer.build(done[0].finishReason(), done[0].usage());
    }

    @Override
    public void stream(Upstream upstream, ModelRequest request, StreamSink sink, Cancellation cancellation) {
        unsupported(request).ifPresent(field -> {
            // The router refuses such a request before calling; a direct caller gets the same answer here.
            throw new UpstreamException(new UpstreamError.BadRequest(400, field + " is not supported by channel type "
                    + LlamaChannelRules.TYPE));
        });
        if (upstream.modelPath() == null) {
            throw new UpstreamException(new UpstreamError.Unreachable("the local channel " + upstream.channelName() + " has no modelPath"));
        }
        try (var interrupt = cancellation.interruptCurrentThread();
             LlamaModels.Lease lease = lease(upstream)) {
            LlamaEngine engine = lease.engine();
            int contextSize = engine.settings().contextSize();
            // Room kept for the answer when old turns must go: maxTokens, but at most a quarter of the context.
            int reserve = Math.max(1, Math.min(request.options().maxTokens() == null ? Integer.MAX_VALUE : request.options().maxTokens(), contextSize / 4));
            LlamaEngine.Prompt prompt = prompt(engine, request, reserve);
            int room = contextSize - prompt.tokens();
            if (room < 1) {
                throw new UpstreamException(new UpstreamError.BadRequest(400, "the prompt has " + prompt.tokens()
                        + " tokens, more than the local model's context of " + engine.settings().contextSize()
                        + " (options.contextSize)"));
            }
            int limit = request.options().maxTokens() == null ? room : Math.min(request.options().maxTokens(), room);
            try (Generation generation = engine.start(prompt, request, limit)) {
                if (generation == null) {
                    throw new UpstreamException(new UpstreamError.Overloaded("all " + engine.settings().parallel()
                            + " sequences are busy and " + engine.waiting() + " requests are waiting (options.parallel, options.queue)"));
                }
                relay(generation, upstream, sink, prompt, limit);
            }
        } catch (InterruptedException e) {
            throw new CallCancelledException("the client left");
        }
    }

    private void relay(Generation generation, Upstream upstream, StreamSink sink, LlamaEngine.Prompt prompt, int limit)
            throws InterruptedException {
        boolean first = true;
        while (true) {
            Generation.Step step = generation.next(upstream.timeout());
            if (step == null) {
                throw new UpstreamException(generation.started()
                        ? new UpstreamError.Timeout(first ? "waiting for the first token" : "waiting for the next token", 0)
                        : new UpstreamError.Overloaded("no sequence became free within " + upstream.timeout().toMillis() + " ms"));
            }
            first = false;
            switch (step) {
                case Generation.Step.Token token -> {
                    // U+0000 may not appear in stored text; a model can still sample the byte.
                    String text = token.text().replace("\u0000", "");
                    if (!text.isEmpty()) {
                        sink.accept(new StreamEvent.TextDelta(0, text));
                    }
                }
                case Generation.Step.Finished finished -> {
                    // The binding does not say why llama.cpp stopped: an end token or a stop string met by the
                    // last token allowed reads as length, every earlier end as stop.
                    sink.accept(new StreamEvent.Done(new TokenUsage(prompt.tokens(), finished.tokens(), false),
                            finished.tokens() >= limit ? FinishReason.LENGTH : FinishReason.STOP));
                    return;
                }
                case Generation.Step.Failed failed -> throw new UpstreamException(
                        new UpstreamError.ServerError(0, "llama.cpp: " + UpstreamFailures.reason(failed.error())), failed.error());
            }
        }
    }

    private LlamaModels.Lease lease(Upstream upstream) throws InterruptedException {
        try {
            return models.acquire(new LlamaModels.Key(Path.of(upstream.modelPath()), upstream.options()));
        } catch (ModelFileException e) {
            throw new UpstreamException(new UpstreamError.Unreachable(UpstreamFailures.reason(e)), e);
        }
    }

    private static LlamaEngine.Prompt prompt(LlamaEngine engine, ModelRequest request, int reserve) {
        try {
            return ContextFit.fit(engine, request.messages(), reserve);
        } catch (RuntimeException e) {
            // A template the model's metadata carries but llama.cpp cannot render fails every request alike.
            throw new UpstreamException(new UpstreamError.BadRequest(400, "the model's chat template failed: " + UpstreamFailures.reason(e)), e);
        }
    }

    @Override
    public Optional<String> unsupported(ModelRequest request) {
        return LlamaRefusals.first(request);
    }

    @Override
    public ChannelRules channelRules() {
        return CHANNEL_RULES;
    }
}
