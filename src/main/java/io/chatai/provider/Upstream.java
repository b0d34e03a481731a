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
 */
public record Upstream(String channelName, String baseUrl, String apiKey, Map<String, String> headers,
                       Duration timeout, String proxy) {
    public Upstream {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "Upstream[" + channelName + " " + baseUrl + "]"; // never the key
    }
}
