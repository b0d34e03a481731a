package io.chatai.channel;

import io.chatai.core.ApiException;
import io.chatai.provider.llama.GgufInfo;
import io.chatai.provider.llama.LlamaSettings;
import io.chatai.provider.llama.ModelFileException;
import io.chatai.web.JsonBody;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of a {@code local} channel: a {@code modelPath} to a readable GGUF file on this machine
 * (checked when it is set, by reading the file's header) instead of {@code baseUrl} and {@code apiKeys},
 * and engine {@code options}, which {@code PUT} merges key by key ({@code null} restores a default).
 * The model itself is loaded on first use. Stateless.
 */
final class LlamaChannelForm {
    static final String TYPE = "local";

    private LlamaChannelForm() {
    }

    /** The merged channel made valid for a local model, or a 400 naming the field at fault. */
    static Channel apply(Channel merged, Channel base, JsonBody body) {
        if (body.has("baseUrl") || body.has("apiKeys") && !body.optionalStringList("apiKeys", 100, 4096).isEmpty()) {
            throw ApiException.invalid("a local channel runs its modelPath in-process: it takes no baseUrl or apiKeys");
        }
        if (merged.modelPath() == null) {
            throw ApiException.invalid("modelPath is required for a local channel: the path of a GGUF model file on the server");
        }
        if (body.present("modelPath") || !base.type().equals(TYPE)) {
            checkModel(merged.modelPath());
        }
        Map<String, Object> options = new LinkedHashMap<>(base.type().equals(TYPE) ? base.options() : Map.of());
        JsonBody sent = body.optionalObject("options");
        if (sent != null) {
            options(sent, options);
        }
        return new Channel(merged.id(), merged.name(), merged.type(), null, List.of(), merged.models(), merged.modelMapping(),
                merged.priority(), merged.weight(), merged.enabled(), merged.timeoutMs(), merged.headers(), merged.proxy(),
                merged.modelPath(), options, merged.revision(), merged.createdAt(), merged.updatedAt());
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
