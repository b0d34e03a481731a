package io.chatai.provider;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The provider adapter of each channel type. Immutable. */
public final class Providers {
    private final Map<String, Provider> byType;

    public Providers(Map<String, Provider> byType) {
        this.byType = Map.copyOf(byType);
    }

    public Optional<Provider> forType(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    public Set<String> types() {
        return byType.keySet();
    }
}
