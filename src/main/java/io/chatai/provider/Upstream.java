package io.chatai.provider;

import java.time.Duration;
import java.util.Map;

/**
 * Where and how to reach one upstream for one call: the channel's address with one of its keys. Holds a
 * secret, so it is never logged or serialised. Immutable.
 *
 * @param channelName for error messages and metrics
 * @param timeout     bounds the wait for the first byte and every gap between chunks, not the whole answer
 * @param proxy       {@code http://host:port} or null
 * @param modelPath   the GGUF file of a {@code local} channel, else null
 * @param options      the channel's type-specific settings (a local model's context size, threads, parallel sequences)
 * @param totalTimeout bounds the whole call, from sending the request to the end of the answer
 */
public record Upstream(String channelName, String baseUrl, String apiKey, Map<String, String> headers,
                       Duration timeout, String proxy, String modelPath, Map<String, Object> options, Duration totalTimeout) {
    /** A channel's {@code totalTimeoutMs} unless it sets one. */
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(10);

    public Upstream {
        headers = Map.copyOf(headers);
        options = Map.copyOf(options);
    }

    /** An HTTP upstream: no model file, no type-specific options, the default total timeout. */
    public Upstream(String channelName, String baseUrl, String apiKey, Map<String, String> headers,
                    Duration timeout, String proxy) {
        this(channelName, baseUrl, apiKey, headers, timeout, proxy, null, Map.of(), DEFAULT_TOTAL_TIMEOUT);
    }

    @Override
    public String toString() {
        return "Upstream[" + channelName + " " + (modelPath != null ? modelPath : baseUrl) + "]"; // never the key
    }
}
