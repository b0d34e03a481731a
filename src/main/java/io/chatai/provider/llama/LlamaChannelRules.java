package io.chatai.provider.llama;

import io.chatai.core.ApiException;
import io.chatai.core.JsonBody;
import io.chatai.provider.ChannelRules;
import io.chatai.provider.TypeFields;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The channel rules of a model run in-process ({@code type: "local"}): a {@code modelPath} to a readable
 * GGUF file on this machine (checked when it is set, by reading the file's header) instead of
 * {@code baseUrl} and {@code apiKeys}, and engine {@code options}, which {@code PUT} merges key by key
 * ({@code null} restores a default). The model itself is loaded on first use. Stateless.
 */
public final class LlamaChannelRules implements ChannelRules {
    /** The channel type these rules and {@link LlamaProvider} serve. */
    public static final String TYPE = "local";

    @Override
    public TypeFields defaults() {
        return TypeFields.NONE;
    }

    @Override
    public TypeFields merge(TypeFields stored, boolean sameType, JsonBody body) {
        if (body.has("baseUrl") || body.has("apiKeys") && !body.optionalStringList("apiKeys", 100, 4096).isEmpty()) {
            throw ApiException.invalid("a local channel runs its modelPath in-process: it takes no baseUrl or apiKeys");
        }
        String modelPath = body.present("modelPath") ? body.optionalString("modelPath", 4096) : stored.modelPath();
        if (modelPath == null) {
            throw ApiException.invalid("modelPath is required for a local channel: the path of a GGUF model file on the server");
        }
        if (body.present("modelPath") || !sameType) {
            checkModel(modelPath);
        }
        Map<String, Object> options = new LinkedHashMap<>(sameType ? stored.options() : Map.of());
        JsonBody sent = body.optionalObject("options");
        if (sent != null) {
            options(sent, options);
        }
        return TypeFields.NONE.withModelPath(modelPath).withOptions(options);
    }

    private static void checkModel(String modelPath) {
        try {
            GgufInfo.read(Path.of(modelPath));
        } catch (ModelFileException | InvalidPathException e) {
            throw ApiException.invalid("modelPath: " + e.getMessage());
        }
    }

    private static void options(JsonBody sent, Map<String, Object> options) {
        for (String name : sent.fieldNames()) {
            int[] range = LlamaSettings.OPTIONS.get(name);
            if (range == null) {
                throw ApiException.invalid("options." + name + " is not an option of a local channel; the options are "
                        + String.join(", ", LlamaSettings.OPTIONS.keySet()));
            }
            Integer value;
            try {
                value = sent.optionalInteger(name, range[0], range[1]);
            } catch (ApiException e) {
                throw ApiException.invalid("options." + e.getMessage());
            }
            if (value == null) {
                options.remove(name);
            } else {
                options.put(name, value);
            }
        }
    }
}
