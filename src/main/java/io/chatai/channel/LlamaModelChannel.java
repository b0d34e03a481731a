package io.chatai.channel;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The channel {@code CHATAI_LOCAL_MODEL} declares, stored under a fixed id so it is the same channel at
 * every start: visible and editable like any other. At each start the variable sets its type, file and
 * models ({@code [name, "*"]}, so the built-in preset's model is answered too); every other field keeps
 * an operator's edits. Created at priority -1, so channels added later go first and it is their
 * fallback. Stateless.
 */
public final class LlamaModelChannel {
    public static final String ID = "ch_local_model";
    public static final String NAME = "CHATAI_LOCAL_MODEL";

    private LlamaModelChannel() {
    }

    /** {@code CHATAI_LOCAL_MODEL_NAME}, else the file's name without {@code .gguf}. */
    public static String modelName(Path file, String configured) {
        if (configured != null) {
            return configured;
        }
        String name = file.getFileName().toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
    }

    /** Creates or updates the channel; returns it as stored. */
    public static Channel upsert(ChannelRepository channels, Path file, String modelName, long now) {
        String modelPath = file.toAbsolutePath().normalize().toString();
        List<String> models = List.of(modelName, "*");
        Channel existing = channels.find(ID).orElse(null);
        if (existing == null) {
            Channel created = new Channel(ID, NAME, LlamaChannelForm.TYPE, null, List.of(), models, Map.of(), -1, 1, true,
                    60_000, Map.of(), null, modelPath, Map.of(), 1, now, now);
            channels.insert(created);
            return created;
        }
        if (existing.type().equals(LlamaChannelForm.TYPE) && modelPath.equals(existing.modelPath()) && models.equals(existing.models())) {
            return existing;
        }
        Channel updated = new Channel(ID, existing.name(), LlamaChannelForm.TYPE, null, List.of(), models,
                existing.modelMapping(), existing.priority(), existing.weight(), existing.enabled(), existing.timeoutMs(),
                existing.headers(), existing.proxy(), modelPath,
                existing.type().equals(LlamaChannelForm.TYPE) ? existing.options() : Map.of(),
                existing.revision() + 1, existing.createdAt(), now);
        channels.update(updated);
        return updated;
    }
}
