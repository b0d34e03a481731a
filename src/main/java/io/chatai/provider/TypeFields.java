package io.chatai.provider;

import java.util.List;
import java.util.Map;

/**
 * The fields of a channel whose meaning its type decides ({@link ChannelRules}): where an HTTP upstream
 * is and the keys to it, or the model file and engine options of a model run in-process. A type leaves
 * the fields it does not use empty. Built with the withers from {@link #NONE}, so two fields of one type
 * cannot be swapped. Holds keys in clear, so never logged or serialised as is. Immutable.
 *
 * @param baseUrl   the upstream's address (HTTP types), else null
 * @param apiKeys   rotated per call; empty for upstreams that need no key
 * @param modelPath the GGUF file of a model run in-process, else null
 * @param options   type-specific settings (a local model's context size, threads, parallel sequences)
 */
public record TypeFields(String baseUrl, List<String> apiKeys, String modelPath, Map<String, Object> options) {
    /** Every field empty. */
    public static final TypeFields NONE = new TypeFields(null, List.of(), null, Map.of());

    public TypeFields {
        apiKeys = List.copyOf(apiKeys);
        options = Map.copyOf(options);
    }

    public TypeFields withBaseUrl(String value) {
        return new TypeFields(value, apiKeys, modelPath, options);
    }

    public TypeFields withApiKeys(List<String> value) {
        return new TypeFields(baseUrl, value, modelPath, options);
    }

    public TypeFields withModelPath(String value) {
        return new TypeFields(baseUrl, apiKeys, value, options);
    }

    public TypeFields withOptions(Map<String, Object> value) {
        return new TypeFields(baseUrl, apiKeys, modelPath, value);
    }

    @Override
    public String toString() {
        return "TypeFields[" + (modelPath != null ? modelPath : baseUrl) + ", " + apiKeys.size() + " keys]"; // never the keys
    }
}
