package io.chatai.provider;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The provider adapter of each channel type, and through it the type's channel rules. Immutable. */
public final class Providers {
    private final Map<String, Provider> byType;

    public Providers(Map<String, Provider> byType) {
        this.byType = Map.copyOf(byType);
    }

    public Optional<Provider> forType(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The channel rules of a type, from its provider. */
    public Optional<ChannelRules> rulesFor(String type) {
        return forType(type).map(Provider::channelRules);
    }

    public Set<String> types() {
        return byType.keySet();
    }
}
