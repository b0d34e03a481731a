package io.chatai.provider;

import io.chatai.core.ApiException;
import io.chatai.core.JsonBody;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The channel rules of a provider reached over HTTP: a {@code baseUrl} ({@code http://} or {@code https://},
 * the provider's public endpoint when not given or set to null) and {@code apiKeys}, where a key sent back
 * masked, as reads show it, stands for the stored key it masks. A model file and engine options belong to
 * other types and are refused. Stateless.
 */
public final class HttpChannelRules implements ChannelRules {
    private final String defaultBaseUrl;
    private final java.util.Set<String> switches;

    /** @param defaultBaseUrl the provider's public endpoint, used when a channel names none */
    public HttpChannelRules(String defaultBaseUrl) {
        this(defaultBaseUrl, java.util.Set.of());
    }

    /**
     * @param switches the boolean {@code options} this type takes (an {@code openai} channel's {@code responsesApi});
     *                 {@code PUT} merges them key by key, null removes one
     */
    public HttpChannelRules(String defaultBaseUrl, java.util.Set<String> switches) {
        this.defaultBaseUrl = defaultBaseUrl;
        this.switches = java.util.Set.copyOf(switches);
    }

    @Override
    public TypeFields defaults() {
        return TypeFields.NONE.withBaseUrl(defaultBaseUrl);
    }

    @Override
    public TypeFields merge(TypeFields stored, boolean sameType, JsonBody body) {
        if (body.has("modelPath") || (body.has("options") && switches.isEmpty())) {
            throw ApiException.invalid("modelPath and options are for a model run in-process; this channel type reaches "
                    + "its upstream at baseUrl with apiKeys");
        }
        java.util.Map<String, Object> options = new java.util.TreeMap<>(sameType ? stored.options() : java.util.Map.of());
        JsonBody sent = body.optionalObject("options");
        if (sent != null) {
            for (String name : sent.fieldNames()) {
                if (!switches.contains(name)) {
                    throw ApiException.invalid("options." + name + " is not an option of this channel type; its options are "
                            + String.join(", ", new java.util.TreeSet<>(switches)));
                }
                Boolean value = sent.optionalBoolean(name);
                if (value == null) {
                    options.remove(name);
                } else {
                    options.put(name, value);
                }
            }
        }
        String baseUrl = body.present("baseUrl") ? httpUrl("baseUrl", body.optionalString("baseUrl", 2000)) : stored.baseUrl();
        List<String> keys = body.has("apiKeys") ? keys(body.optionalStringList("apiKeys", 100, 4096), stored.apiKeys()) : stored.apiKeys();
        return TypeFields.NONE.withBaseUrl(baseUrl != null ? baseUrl : defaultBaseUrl).withApiKeys(keys).withOptions(options);
    }

    /** The value when it is an {@code http://} or {@code https://} URL with a host; null stays null; else a 400 naming the field. */
    public static String httpUrl(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = URI.create(value);
            if ((uri.getScheme().equals("http") || uri.getScheme().equals("https")) && uri.getHost() != null) {
                return value;
            }
        } catch (RuntimeException ignored) {
            // reported below
        }
        throw ApiException.invalid(field + " must be an http:// or https:// URL, got '" + value + "'");
    }

    /** The keys sent, where a masked entry stands for the stored key it masks. */
    private static List<String> keys(List<String> sent, List<String> stored) {
        List<String> keys = new ArrayList<>(sent.size());
        for (String key : sent) {
            keys.add(stored.stream().filter(s -> UpstreamFailures.mask(s).equals(key)).findFirst().orElse(key));
        }
        return keys;
    }
}
