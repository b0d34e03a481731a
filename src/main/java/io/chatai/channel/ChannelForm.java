package io.chatai.channel;

import io.chatai.core.ApiException;
import io.chatai.core.ConfiguredHeaders;
import io.chatai.core.JsonBody;
import io.chatai.core.Secrets;
import io.chatai.provider.ChannelRules;
import io.chatai.provider.HttpChannelRules;
import io.chatai.provider.Providers;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates channel fields from a request body and merges them onto a stored channel. The fields every
 * channel has are checked here; the type's own fields (base URL and keys, or a model file) by the
 * {@link ChannelRules} of its provider, so nothing here names a type. {@code PUT} merges: omitted fields
 * keep their value, and keys or header values sent back masked (as reads show them) keep the stored
 * secret they stand for. Stateless.
 */
public final class ChannelForm {
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection", "content-type");

    private final Providers providers;

    /** @param providers the adapters this server has, each with the rules of its channel type */
    public ChannelForm(Providers providers) {
        this.providers = providers;
    }

    public Channel create(JsonBody body, long now) {
        String type = type(body.requiredString("type", 32));
        ChannelRules rules = rules(type);
        Channel.Builder channel = Channel.defaults(Secrets.newToken("ch_", 16), body.requiredString("name", 100), type, now);
        return common(channel, Map.of(), body).typeFields(rules.merge(rules.defaults(), true, body)).build();
    }

    public Channel merge(Channel base, JsonBody body, long now) {
        String type = body.has("type") ? type(body.requiredString("type", 32)) : base.type();
        Channel.Builder channel = base.toBuilder().type(type);
        if (body.has("name")) {
            channel.name(body.requiredString("name", 100));
        }
        return common(channel, base.headers(), body)
                .typeFields(rules(type).merge(base.typeFields(), type.equals(base.type()), body))
                .edited(now)
                .build();
    }

    /** The fields every channel has, where the body sets them. */
    private static Channel.Builder common(Channel.Builder channel, Map<String, String> storedHeaders, JsonBody body) {
        if (body.has("models")) {
            channel.models(nonEmpty("models", body.optionalStringList("models", 1000, 128)));
        }
        if (body.present("textOnlyModels")) {
            List<String> textOnly = body.optionalStringList("textOnlyModels", 1000, 128);
            channel.textOnlyModels(textOnly == null ? List.of() : textOnly);
        }
        if (body.has("modelMapping")) {
            channel.modelMapping(body.optionalStringMap("modelMapping", 1000, 128));
        }
        if (body.has("priority")) {
            channel.priority(body.optionalInteger("priority", -1_000_000, 1_000_000));
        }
        if (body.has("weight")) {
            channel.weight(body.optionalInteger("weight", 1, 10_000));
        }
        if (body.has("enabled")) {
            channel.enabled(body.optionalBoolean("enabled"));
        }
        if (body.has("timeoutMs")) {
            channel.timeoutMs(body.optionalInteger("timeoutMs", 100, 3_600_000));
        }
        if (body.has("totalTimeoutMs")) {
            channel.totalTimeoutMs(body.optionalInteger("totalTimeoutMs", 100, 86_400_000));
        }
        if (body.has("headers")) {
            channel.headers(headers(body.optionalStringMap("headers", 50, 4096), storedHeaders));
        }
        if (body.present("proxy")) {
            channel.proxy(proxy(body.optionalString("proxy", 300)));
        }
        return channel;
    }

    private String type(String type) {
        String normalized = type.toLowerCase(Locale.ROOT);
        if (!providers.types().contains(normalized)) {
            throw ApiException.invalid("type must be one of " + String.join(", ", providers.types().stream().sorted().toList())
                    + ", got '" + type + "'");
        }
        return normalized;
    }

    private ChannelRules rules(String type) {
        return providers.rulesFor(type).orElseThrow(() -> new IllegalStateException("no adapter for type " + type));
    }

    private static String proxy(String value) {
        String url = HttpChannelRules.httpUrl("proxy", value);
        if (url != null && !url.startsWith("http://")) {
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

    private static Map<String, String> headers(Map<String, String> sent, Map<String, String> stored) {
        return ConfiguredHeaders.merge(sent, stored, RESERVED_HEADERS);
    }
}
