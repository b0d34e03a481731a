package io.chatai.channel;

import io.chatai.provider.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One upstream the server can route to, with its keys in clear (decrypted); never serialised as is
 * (see {@link ChannelView}). Immutable.
 *
 * @param type      a provider type: openai, anthropic, gemini or local
 * @param apiKeys   rotated per call; empty for upstreams that need no key
 * @param models    served models; "*" serves any
 * @param revision  grows on every edit, which brings keys refused with 401/403 back into rotation
 * @param options   type-specific settings (the local model's context size, threads, parallel sequences)
 */
public record Channel(String id, String name, String type, String baseUrl, List<String> apiKeys, List<String> models,
                      Map<String, String> modelMapping, int priority, int weight, boolean enabled, int timeoutMs,
                      Map<String, String> headers, String proxy, String modelPath, Map<String, Object> options,
                      long revision, long createdAt, long updatedAt) {

    public Channel {
        apiKeys = List.copyOf(apiKeys);
        models = List.copyOf(models);
        modelMapping = Map.copyOf(modelMapping);
        headers = Map.copyOf(headers);
        options = Map.copyOf(options);
    }

    public boolean serves(String model) {
        return models.contains(model) || models.contains("*");
    }

    /** The name sent upstream for a requested model, after {@code modelMapping}. */
    public String upstreamModel(String model) {
        return modelMapping.getOrDefault(model, model);
    }

    /**
     * How a provider reaches this channel with one of its keys (null for keyless upstreams). Every key of
     * the channel and every header value go along as secrets, since an upstream (or a proxy before it)
     * may echo any of them back.
     */
    public Upstream upstream(String key) {
        // The contract's default totalTimeoutMs, until the channel's own totalTimeoutMs field (added with
        // the channel builder on another branch) is wired here: the bound must hold for every call now.
        return new Upstream(name, baseUrl, key, headers, Duration.ofMillis(timeoutMs), Upstream.DEFAULT_TOTAL_TIMEOUT,
                proxy, modelPath, options, Upstream.secretsOf(apiKeys, headers));
    }

    @Override
    public String toString() {
        return "Channel[" + id + " " + name + " " + type + "]"; // never the keys
    }
}
