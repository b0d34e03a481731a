package io.chatai.server;

import io.chatai.channel.Channel;
import io.chatai.channel.ChannelRepository;
import io.chatai.provider.TypeFields;
import io.chatai.provider.llama.LlamaChannelRules;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The channel {@code CHATAI_LOCAL_MODEL} declares, stored under a fixed id so it is the same channel at
 * every start: visible and editable like any other. At each start the variable sets its type, file and
 * models ({@code [name, "*"]}, so the built-in preset's model is answered too); every other field keeps
 * an operator's edits. Created at priority -1, so channels added later go first and it is their
 * fallback. Stateless.
 */
final class LlamaModelChannel {
    static final String ID = "ch_local_model";
    static final String NAME = "CHATAI_LOCAL_MODEL";

    private LlamaModelChannel() {
    }

    /** {@code CHATAI_LOCAL_MODEL_NAME}, else the file's name without {@code .gguf}. */
    static String modelName(Path file, String configured) {
        if (configured != null) {
            return configured;
        }
        String name = file.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
    }

    /** Creates or updates the channel; returns it as stored. */
    static Channel upsert(ChannelRepository channels, Path file, String modelName, long now) {
        String modelPath = file.toAbsolutePath().normalize().toString();
        List<String> models = List.of(modelName, "*");
        Channel existing = channels.find(ID).orElse(null);
        if (existing == null) {
            Channel created = Channel.defaults(ID, NAME, LlamaChannelRules.TYPE, now)
                    .typeFields(TypeFields.NONE.withModelPath(modelPath))
                    .models(models)
                    .priority(-1)
                    .build();
            channels.insert(created);
            return created;
        }
        boolean wasLocal = existing.type().equals(LlamaChannelRules.TYPE);
        if (wasLocal && modelPath.equals(existing.modelPath()) && models.equals(existing.models())) {
            return existing;
        }
        // The engine options an operator set survive; a channel that was edited into another type starts over.
        TypeFields fields = TypeFields.NONE.withModelPath(modelPath).withOptions(wasLocal ? existing.options() : java.util.Map.of());
        Channel updated = existing.toBuilder()
                .type(LlamaChannelRules.TYPE)
                .typeFields(fields)
                .models(models)
                .edited(now)
                .build();
        channels.update(updated);
        return updated;
    }
}
