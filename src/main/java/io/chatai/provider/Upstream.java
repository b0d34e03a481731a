package io.chatai.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where and how to reach one upstream for one call: the channel's address with one of its keys. Holds
 * secrets, so it is never logged or serialised. Immutable.
 *
 * @param channelName  for error messages and metrics
 * @param timeout      bounds the wait for the first byte and every gap between chunks, not the whole answer
 * @param totalTimeout bounds the whole call, from connecting to the last byte
 * @param proxy        {@code http://host:port} or null
 * @param modelPath    the GGUF file of a {@code local} channel, else null
 * @param options      the channel's type-specific settings (a local model's context size, threads, parallel sequences)
 * @param secrets      every key of the channel and every header value: redacted from any text the upstream
 *                     sends back before that text is cut, shown or stored
 */
public record Upstream(String channelName, String baseUrl, String apiKey, Map<String, String> headers,
                       Duration timeout, Duration totalTimeout, String proxy, String modelPath,
                       Map<String, Object> options, List<String> secrets) {
    /** The contract's default {@code totalTimeoutMs}. */
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMillis(600_000);

    public Upstream {
        headers = Map.copyOf(headers);
        options = Map.copyOf(options);
        secrets = List.copyOf(secrets);
    }

    /** An upstream whose only secrets are this key and these header values, with the default total timeout. */
    public Upstream(String channelName, String baseUrl, String apiKey, Map<String, String> headers,
                    Duration timeout, String proxy, String modelPath, Map<String, Object> options) {
        this(channelName, baseUrl, apiKey, headers, timeout, DEFAULT_TOTAL_TIMEOUT, proxy, modelPath, options,
                secretsOf(apiKey == null ? List.of() : List.of(apiKey), headers));
    }

    /** An HTTP upstream: no model file, no type-specific options, the default total timeout. */
    public Upstream(String channelName, String baseUrl, String apiKey, Map<String, String> headers,
                    Duration timeout, String proxy) {
        this(channelName, baseUrl, apiKey, headers, timeout, proxy, null, Map.of());
    }

    /** The same upstream with another bound on the whole call. */
    public Upstream withTotalTimeout(Duration total) {
        return new Upstream(channelName, baseUrl, apiKey, headers, timeout, total, proxy, modelPath, options, secrets);
    }

    /** Keys and header values together, the list {@link #secrets} expects. */
    public static List<String> secretsOf(Collection<String> keys, Map<String, String> headers) {
        List<String> secrets = new ArrayList<>(keys);
        secrets.addAll(headers.values());
        return secrets;
    }

    @Override
    public String toString() {
        return "Upstream[" + channelName + " " + (modelPath != null ? modelPath : baseUrl) + "]"; // never a secret
    }
}
