package io.chatai.channel;

import io.chatai.provider.TypeFields;
import io.chatai.provider.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One upstream the server can route to, with its keys in clear (decrypted); never serialised as is
 * (see {@link ChannelView}). Built by name, never by position: {@link #defaults} for a new channel,
 * {@link #toBuilder()} for an edited one. Immutable.
 *
 * @param type       a provider type (openai, anthropic, gemini, local); its {@code ChannelRules} own {@code typeFields}
 * @param typeFields what the type decides: base URL and keys, or a model file and its options
 * @param models     served models; "*" serves any
 * @param timeoutMs      bounds the wait for the first byte and each gap between chunks
 * @param totalTimeoutMs bounds the whole call
 * @param revision   grows on every edit, which brings keys refused with 401/403 back into rotation
 * @param textOnlyModels models of this channel that take no images (names, or prefixes ending in {@code *})
 */
public record Channel(String id, String name, String type, TypeFields typeFields, List<String> models,
                      Map<String, String> modelMapping, int priority, int weight, boolean enabled, int timeoutMs,
                      int totalTimeoutMs, Map<String, String> headers, String proxy, long revision, long createdAt, long updatedAt,
                      List<String> textOnlyModels) {

    public Channel {
        models = List.copyOf(models);
        textOnlyModels = List.copyOf(textOnlyModels);
        modelMapping = Map.copyOf(modelMapping);
        headers = Map.copyOf(headers);
    }

    /**
     * A new channel with the contract's defaults: every model ({@code "*"}), priority 0, weight 1, enabled,
     * {@code timeoutMs} 60000, {@code totalTimeoutMs} 600000, no headers, no proxy, no type fields, revision 1, created and updated {@code now}.
     */
    public static Builder defaults(String id, String name, String type, long now) {
        return new Builder(new Channel(id, name, type, TypeFields.NONE, List.of("*"), Map.of(), 0, 1, true, 60_000,
                (int) Upstream.DEFAULT_TOTAL_TIMEOUT.toMillis(), Map.of(), null, 1, now, now, List.of()));
    }

    /** A builder starting from this channel's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public String baseUrl() {
        return typeFields.baseUrl();
    }

    /** Rotated per call; empty for upstreams that need no key. */
    public List<String> apiKeys() {
        return typeFields.apiKeys();
    }

    public String modelPath() {
        return typeFields.modelPath();
    }

    public Map<String, Object> options() {
        return typeFields.options();
    }

    /** Whether the channel serves this model without images: named in {@code textOnlyModels}, or by a {@code prefix*} there. */
    public boolean textOnly(String model) {
        for (String pattern : textOnlyModels) {
            if (pattern.endsWith("*") ? model.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(model)) {
                return true;
            }
        }
        return false;
    }

    public boolean serves(String model) {
        return models.contains(model) || models.contains("*");
    }

    /**
     * Whether the operator named this model for the channel: listed in {@code models} (not merely served by
     * {@code "*"}) or a key of {@code modelMapping}. Such names are bounded by configuration; requested
     * names are not.
     */
    public boolean names(String model) {
        return !model.equals("*") && (models.contains(model) || modelMapping.containsKey(model));
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
        return new Upstream(name, baseUrl(), key, headers, Duration.ofMillis(timeoutMs), Duration.ofMillis(totalTimeoutMs),
                proxy, modelPath(), options(), Upstream.secretsOf(apiKeys(), headers));
    }

    @Override
    public String toString() {
        return "Channel[" + id + " " + name + " " + type + "]"; // never the keys
    }

    /** Sets a channel's fields by name; {@link #build()} makes the channel. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private String name;
        private String type;
        private TypeFields typeFields;
        private List<String> models;
        private Map<String, String> modelMapping;
        private int priority;
        private int weight;
        private boolean enabled;
        private int timeoutMs;
        private int totalTimeoutMs;
        private Map<String, String> headers;
        private String proxy;
        private long revision;
        private final long createdAt;
        private long updatedAt;
        private List<String> textOnlyModels;

        private Builder(Channel from) {
            textOnlyModels = from.textOnlyModels;
            id = from.id;
            name = from.name;
            type = from.type;
            typeFields = from.typeFields;
            models = from.models;
            modelMapping = from.modelMapping;
            priority = from.priority;
            weight = from.weight;
            enabled = from.enabled;
            timeoutMs = from.timeoutMs;
            totalTimeoutMs = from.totalTimeoutMs;
            headers = from.headers;
            proxy = from.proxy;
            revision = from.revision;
            createdAt = from.createdAt;
            updatedAt = from.updatedAt;
        }

        public Builder textOnlyModels(List<String> value) {
            textOnlyModels = value;
            return this;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder type(String value) {
            type = value;
            return this;
        }

        public Builder typeFields(TypeFields value) {
            typeFields = value;
            return this;
        }

        public Builder models(List<String> value) {
            models = value;
            return this;
        }

        public Builder modelMapping(Map<String, String> value) {
            modelMapping = value;
            return this;
        }

        public Builder priority(int value) {
            priority = value;
            return this;
        }

        public Builder weight(int value) {
            weight = value;
            return this;
        }

        public Builder enabled(boolean value) {
            enabled = value;
            return this;
        }

        public Builder timeoutMs(int value) {
            timeoutMs = value;
            return this;
        }

        public Builder totalTimeoutMs(int value) {
            totalTimeoutMs = value;
            return this;
        }

        public Builder headers(Map<String, String> value) {
            headers = value;
            return this;
        }

        public Builder proxy(String value) {
            proxy = value;
            return this;
        }

        public Builder revision(long value) {
            revision = value;
            return this;
        }

        public Builder updatedAt(long value) {
            updatedAt = value;
            return this;
        }

        /** The next revision, changed at {@code now}: what every edit does. */
        public Builder edited(long now) {
            revision++;
            updatedAt = now;
            return this;
        }

        public Channel build() {
            return new Channel(id, name, type, typeFields, models, modelMapping, priority, weight, enabled, timeoutMs,
                    totalTimeoutMs, headers, proxy, revision, createdAt, updatedAt, textOnlyModels);
        }
    }
}
