package io.chatai.channel;

import io.chatai.core.ApiException;
import io.chatai.core.Secrets;
import io.chatai.provider.UpstreamFailures;
import io.chatai.web.JsonBody;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates channel fields from a request body and merges them onto a stored channel. {@code PUT}
 * merges: omitted fields keep their value, and keys or header values sent back masked (as reads show
 * them) keep the stored secret they stand for. Stateless.
 */
public final class ChannelForm {
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection", "content-type");
    private static final Map<String, String> DEFAULT_BASE_URLS = Map.of(
            "openai", "https://api.openai.com/v1",
            "anthropic", "https://api.anthropic.com",
            "gemini", "https://generativelanguage.googleapis.com");

    private final Set<String> types;

    /** @param types the channel types this server has adapters for */
    public ChannelForm(Set<String> types) {
        this.types = Set.copyOf(types);
    }

    public Channel create(JsonBody body, long now) {
        String type = type(body.requiredString("type", 32));
        Channel defaults = new Channel(Secrets.newToken("ch_", 16), body.requiredString("name", 100), type,
                DEFAULT_BASE_URLS.get(type), List.of(), List.of("*"), Map.of(), 0, 1, true, 60_000, Map.of(), null, null,
                Map.of(), 1, now, now);
        return merge(defaults, body, now);
    }

    public Channel merge(Channel base, JsonBody body, long now) {
        String type = body.has("type") ? type(body.requiredString("type", 32)) : base.type();
        Channel merged = new Channel(base.id(),
                body.has("name") ? body.requiredString("name", 100) : base.name(),
                type,
                body.present("baseUrl") ? url("baseUrl", body.optionalString("baseUrl", 2000)) : base.baseUrl(),
                body.has("apiKeys") ? keys(body.optionalStringList("apiKeys", 100, 4096), base.apiKeys()) : base.apiKeys(),
                body.has("models") ? nonEmpty("models", body.optionalStringList("models", 1000, 128)) : base.models(),
                body.has("modelMapping") ? body.optionalStringMap("modelMapping", 1000, 128) : base.modelMapping(),
                body.has("priority") ? body.optionalInteger("priority", -1_000_000, 1_000_000) : base.priority(),
                body.has("weight") ? body.optionalInteger("weight", 1, 10_000) : base.weight(),
                body.has("enabled") ? body.optionalBoolean("enabled") : base.enabled(),
                body.has("timeoutMs") ? body.optionalInteger("timeoutMs", 100, 3_600_000) : base.timeoutMs(),
                body.has("headers") ? headers(body.optionalStringMap("headers", 50, 4096), base.headers()) : base.headers(),
                body.present("proxy") ? proxy(body.optionalString("proxy", 300)) : base.proxy(),
                body.present("modelPath") ? body.optionalString("modelPath", 4096) : base.modelPath(),
                base.options(),
                base.revision() + 1, base.createdAt(), now);
        return type.equals(LlamaChannelForm.TYPE) ? LlamaChannelForm.apply(merged, base, body) : merged;
    }

    private String type(String type) {
        String normalized = type.toLowerCase(Locale.ROOT);
        if (!types.contains(normalized)) {
            throw ApiException.invalid("type must be one of " + String.join(", ", types.stream().sorted().toList()) + ", got '" + type + "'");
        }
        return normalized;
    }

    private static String url(String field, String value) {
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

    private static String proxy(String value) {
        if (value == null) {
            return null;
        }
        String url = url("proxy", value);
        if (!url.startsWith("http://")) {
            throw ApiException.invalid("proxy must be an http://host:port URL");
        }
        return url;
    }

    private static List<String> nonEmpty(String field, List<String> values) {
        if (values.isEmpty()) {
            throw ApiException.invalid(field + " must hold at least one entry (\"*\" serves any model)");
        }
        return values;
    }

    /** New keys, where a masked entry stands for the stored key it masks. */
    private static List<String> keys(List<String> sent, List<String> stored) {
        List<String> keys = new ArrayList<>(sent.size());
        for (String key : sent) {
            keys.add(stored.stream().filter(s -> UpstreamFailures.mask(s).equals(key)).findFirst().orElse(key));
        }
        return keys;
    }

    private static Map<String, String> headers(Map<String, String> sent, Map<String, String> stored) {
        Map<String, String> headers = new LinkedHashMap<>();
        sent.forEach((name, value) -> {
            if (!HEADER_NAME.matcher(name).matches() || RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw ApiException.invalid("headers may not set '" + name + "'");
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw ApiException.invalid("header value of '" + name + "' must be one line");
            }
            String previous = stored.get(name);
            headers.put(name, previous != null && UpstreamFailures.mask(previous).equals(value) ? previous : value);
        });
        return headers;
    }
}
