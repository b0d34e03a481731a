package io.chatai.channel;

import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.provider.Provider;
import io.chatai.provider.Providers;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a call on the channels and keys {@link ChannelSelection} orders for a model, skipping channels
 * that are cooling or lack the model, and applies the retry table to each failure: a retryable one
 * moves on until {@code CHATAI_MAX_ATTEMPTS} calls were made, but only while nothing has reached the
 * client. A client that leaves, and a stream that breaks after content reached the client, fail only
 * that request: neither tells the channel's breaker anything. Failures are logged by channel name,
 * never with a key. Thread-safe.
 */
public final class ChannelRouter {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelRouter.class);

    private final ChannelSelection selection;
    private final ChannelHealth health;
    private final Providers providers;
    private final int maxAttempts;
    private final Clock clock;

    public ChannelRouter(ChannelCatalog catalog, ChannelHealth health, Providers providers, int maxAttempts, Clock clock) {
        this.selection = new ChannelSelection(catalog, health);
        this.health = health;
        this.providers = providers;
        this.maxAttempts = maxAttempts;
        this.clock = clock;
    }

    /** One upstream call on a chosen channel and key. */
    @FunctionalInterface
    public interface Call<T> {
        T run(Channel channel, Provider provider, Upstream upstream, String upstreamModel);
    }

    /** The result and where it came from. */
    public record Routed<T>(T result, Channel channel, String upstreamModel, int attempts) { }

    /**
     * What a channel cannot honour in the request: the first field (OpenAI's spelling) whose absence would
     * change the answer, or empty. Asked of every candidate before any upstream call.
     */
    @FunctionalInterface
    public interface Screen {
        Screen NONE = (channel, provider, upstreamModel) -> Optional.empty();

        Optional<String> refusal(Channel channel, Provider provider, String upstreamModel);
    }

    /** {@link #route(String, Screen, Call, Cancellation, BooleanSupplier)} for a chat request every channel can honour. */
    public <T> Routed<T> route(String model, Call<T> call, Cancellation cancellation, BooleanSupplier contentSent) {
        return route(model, CallPurpose.CHAT, channel -> true, Screen.NONE, call, cancellation, contentSent);
    }

    /** A chat call on the channels that can honour the request ({@code screen}). */
    public <T> Routed<T> route(String model, Screen screen, Call<T> call, Cancellation cancellation,
                               BooleanSupplier contentSent) {
        return route(model, CallPurpose.CHAT, channel -> true, screen, call, cancellation, contentSent);
    }

    /**
     * Like {@link #route(String, Call, Cancellation, BooleanSupplier)} for a call of another purpose, on only
     * the channels that can take it (e.g. those whose type has an embeddings endpoint); the others are not
     * candidates at all. A 404 marks the model missing on the channel for this purpose only: a channel
     * without an embeddings model of that name may still chat with it, and the other way round.
     */
    public <T> Routed<T> route(String model, CallPurpose purpose, Predicate<Channel> eligible, Call<T> call,
                               Cancellation cancellation, BooleanSupplier contentSent) {
        return route(model, purpose, eligible, Screen.NONE, call, cancellation, contentSent);
    }

    /**
     * Runs the call on the best channel for the model, failing over on retryable errors.
     *
     * @param eligible    the channels that can take a call of this purpose at all (the others are no candidates)
     * @param screen      skips the candidates that cannot honour the request
     * @param contentSent tells whether any of the answer reached the client; after that, no failover
     * @throws RoutingException {@code CHANNEL_UNAVAILABLE} when nothing is left, {@code MODEL_ERROR} when
     *                      the upstream refused the request or broke after content was sent,
     *                      {@code INVALID_REQUEST} when channels serve the model but none can honour the request
     * @throws CallCancelledException when the client left
     */
    public <T> Routed<T> route(String model, CallPurpose purpose, Predicate<Channel> eligible, Screen screen, Call<T> call,
                               Cancellation cancellation, BooleanSupplier contentSent) {
        List<Channel> candidates = selection.candidates(model).stream().filter(eligible).toList();
        RoutingFailures failures = new RoutingFailures(model);
        List<Channel> able = screened(model, candidates, screen, failures);
        boolean sawEveryCandidate = true;
        for (Channel channel : able) {
            if (failures.calls() == maxAttempts) {
                sawEveryCandidate = false;
                break;
            }
            String upstreamModel = channel.upstreamModel(model);
            String missingKey = missingKey(upstreamModel, purpose);
            long missingUntil = health.modelMissingUntil(channel, missingKey);
            if (missingUntil > 0) {
                failures.missing(channel, upstreamModel, missingUntil);
                continue;
            }
            ChannelHealth.Admission admission = health.admit(channel);
            if (admission instanceof ChannelHealth.Admission.Cooling cooling) {
                failures.skipped(channel, "cooling down", cooling.until());
                continue;
            }
            try {
                Provider provider = providers.forType(channel.type()).orElse(null);
                if (provider == null) {
                    failures.skipped(channel, "no adapter for type " + channel.type(), Long.MAX_VALUE);
                    continue;
                }
                List<String> keys = selection.keys(channel);
                if (keys.isEmpty()) {
                    failures.skipped(channel, "every key is refused or cooling down", health.keysBackAt(channel));
                }
                for (String key : keys) {
                    if (failures.calls() == maxAttempts) {
                        break;
                    }
                    failures.called();
                    try {
                        T result = call.run(channel, provider, upstream(channel, key), upstreamModel);
                        health.succeeded(channel);
                        return new Routed<>(result, channel, upstreamModel, failures.calls());
                    } catch (CallCancelledException e) {
                        throw clientLeft(channel, upstreamModel, e);
                    } catch (UpstreamException e) {
                        if (cancellation.isCancelled()) {
                            throw clientLeft(channel, upstreamModel, new CallCancelledException("client left"));
                        }
                        boolean afterContent = contentSent.getAsBoolean();
                        LOG.warn("Upstream call failed [channel={}, model={}, call {} of {}]{}: {}", channel.name(),
                                upstreamModel, failures.calls(), maxAttempts,
                                afterContent ? " after content reached the client (the channel is not cooled)" : "",
                                e.error().describe());
                        if (afterFailure(channel, key, missingKey, e.error(), afterContent, failures) == Next.CHANNEL) {
                            break;
                        }
                    }
                }
            } finally {
                if (admission instanceof ChannelHealth.Admission.Probe) {
                    health.released(channel); // no-op after a verdict; otherwise another request may probe
                }
            }
        }
        throw candidates.isEmpty() ? RoutingFailures.noChannel(model) : failures.unavailable(clock.millis(), sawEveryCandidate);
    }

    /**
     * The candidates that can honour the request, each refusal noted; when channels serve the model but
     * none can honour it, the first refusal answers the request, before any upstream call.
     */
    private List<Channel> screened(String model, List<Channel> candidates, Screen screen, RoutingFailures failures) {
        if (screen == Screen.NONE) {
            return candidates;
        }
        List<Channel> able = new ArrayList<>(candidates.size());
        RoutingException firstRefusal = null;
        for (Channel channel : candidates) {
            Provider provider = providers.forType(channel.type()).orElse(null);
            Optional<String> field = provider == null ? Optional.empty()
                    : screen.refusal(channel, provider, channel.upstreamModel(model));
            if (field.isEmpty()) {
                able.add(channel);
            } else {
                failures.refused(channel, field.get());
                if (firstRefusal == null) {
                    firstRefusal = RoutingFailures.unsupported(field.get(), channel.type());
                }
            }
        }
        if (able.isEmpty() && firstRefusal != null) {
            throw firstRefusal;
        }
        return able;
    }

    /** Where a request goes after a failed call: another key of the same channel, or the next channel. */
    private enum Next { KEY, CHANNEL }

    /**
     * Applies the retry table to one failure: what it does to the key, the model on this channel or the
     * channel, and whether the request moves on or fails as {@code MODEL_ERROR}.
     */
    private Next afterFailure(Channel channel, String key, String missingKey, UpstreamError error, boolean afterContent,
                              RoutingFailures failures) {
        if (afterContent) {
            // The channel answered; whatever broke it off mid-way fails this request, not the channel for everyone.
            throw RoutingFailures.modelError(channel, error, true);
        }
        switch (error) {
            case UpstreamError.BadRequest refused -> throw RoutingFailures.modelError(channel, refused, false);
            case UpstreamError.LimitExceeded stopped -> throw RoutingFailures.modelError(channel, stopped, false);
            case UpstreamError.AuthFailed refused -> {
                health.refuseKey(channel, key);
                failures.failed(channel, refused, Long.MAX_VALUE);
                return Next.KEY;
            }
            case UpstreamError.RateLimited limited when channel.apiKeys().size() > 1 -> {
                health.coolKey(channel, key, limited);
                failures.failed(channel, limited, health.keysBackAt(channel));
                return Next.KEY;
            }
            case UpstreamError.NotFound missing -> {
                health.modelMissing(channel, missingKey);
                failures.failed(channel, missing, health.modelMissingUntil(channel, missingKey));
                return Next.CHANNEL;
            }
            case UpstreamError.RateLimited limited -> failures.failed(channel, limited, health.failed(channel, limited));
            case UpstreamError.Timeout timeout -> failures.failed(channel, timeout, health.failed(channel, timeout));
            case UpstreamError.ServerError server -> failures.failed(channel, server, health.failed(channel, server));
            case UpstreamError.Unreachable unreachable -> failures.failed(channel, unreachable, health.failed(channel, unreachable));
            case UpstreamError.BrokenStream broken -> failures.failed(channel, broken, health.failed(channel, broken));
            // Busy (a local model's sequences and line are full): healthy, so no cooldown; another channel may answer.
            case UpstreamError.Overloaded busy -> failures.failed(channel, busy, clock.millis() + 1_000);
        }
        return Next.CHANNEL; // the channel itself is failing: the next channel, not its next key
    }

    /** A departed client says nothing about the channel: logged, and the call ends without a verdict. */
    private static CallCancelledException clientLeft(Channel channel, String upstreamModel, CallCancelledException e) {
        LOG.info("The client left during the upstream call [channel={}, model={}]; the channel is not cooled",
                channel.name(), upstreamModel);
        return e;
    }

    /** The name a model's 404 is remembered under: chat keeps the bare name, other purposes their own. */
    private static String missingKey(String upstreamModel, CallPurpose purpose) {
        return purpose == CallPurpose.CHAT ? upstreamModel : purpose.wire() + ":" + upstreamModel;
    }

    /** Whether an enabled channel serves the model with images. */
    public boolean seesImages(String model) {
        return selection.anyServes(model, channel -> !channel.textOnly(model));
    }

    /** The provider types of the enabled channels that serve the model with images. */
    public Set<String> imageProviderTypes(String model) {
        return selection.typesServing(model, channel -> !channel.textOnly(model));
    }

    /** Fails fast, before a turn takes its conversation, when no enabled channel serves the model at all. */
    public void requireCandidates(String model) {
        if (!selection.anyServes(model)) {
            throw RoutingFailures.noChannel(model);
        }
    }

    private static Upstream upstream(Channel channel, String key) {
        return channel.upstream(key);
    }
}
