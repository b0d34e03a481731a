package io.chatai.channel;

import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.RequestOptions;
import io.chatai.provider.Provider;
import io.chatai.provider.Providers;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends one short prompt straight to one channel (no failover) and reports how it went, so an operator
 * can check a channel before traffic depends on it. A success also heals a cooling channel. Thread-safe.
 */
public final class ChannelTester {
    private final Providers providers;
    private final ChannelHealth health;
    private final String defaultModel;

    public ChannelTester(Providers providers, ChannelHealth health, String defaultModel) {
        this.providers = providers;
        this.health = health;
        this.defaultModel = defaultModel;
    }

    /** {@code {"ok", "latencyMs", "model", "error"?}}; never throws for an upstream failure. */
    public Map<String, Object> test(Channel channel, String requestedModel) {
        String model = requestedModel != null ? requestedModel
                : channel.models().stream().filter(m -> !m.equals("*")).findFirst().orElse(defaultModel);
        Map<String, Object> result = new LinkedHashMap<>();
        long started = System.nanoTime();
        try {
            Provider provider = providers.forType(channel.type())
                    .orElseThrow(() -> new IllegalStateException("no adapter for type " + channel.type()));
            String key = channel.apiKeys().stream().filter(k -> health.keyUsable(channel, k)).findFirst()
                    .orElse(channel.apiKeys().isEmpty() ? null : channel.apiKeys().getFirst());
            Upstream upstream = channel.upstream(key);
            ModelRequest request = new ModelRequest(channel.upstreamModel(model),
                    List.of(ChatMessage.user("Reply with the single word OK.")), RequestOptions.builder().maxTokens(16).build());
            Completion completion = provider.complete(upstream, request, new Cancellation());
            health.succeeded(channel);
            result.put("ok", true);
            result.put("latencyMs", elapsedMillis(started));
            result.put("model", model);
            result.put("reply", completion.text());
        } catch (UpstreamException | IllegalStateException e) {
            result.put("ok", false);
            result.put("latencyMs", elapsedMillis(started));
            result.put("model", model);
            result.put("error", e.getMessage());
        }
        return result;
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
