package io.chatai.provider;

import io.chatai.core.JsonBody;

/**
 * What one channel type accepts for its own fields ({@link TypeFields}) in a channel's create and update
 * bodies. Each {@link Provider} owns the rules of its type, so the generic channel code validates the
 * fields every channel has and asks the type for the rest, never naming a type. Implementations are
 * stateless and thread-safe.
 */
public interface ChannelRules {

    /** The type's fields of a new channel before its body applies (e.g. the provider's public base URL). */
    TypeFields defaults();

    /**
     * Validates the type's fields in a create or update body and merges them onto the stored ones: a field
     * the body omits keeps its stored value, as {@code PUT} merges everywhere.
     *
     * @param stored   the channel's fields as stored, or {@link #defaults()} for a new channel
     * @param sameType whether {@code stored} already belonged to this type (false when an update changes the type)
     * @throws io.chatai.core.ApiException 400 {@code INVALID_REQUEST} naming the field at fault
     */
    TypeFields merge(TypeFields stored, boolean sameType, JsonBody body);
}
