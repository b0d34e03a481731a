package io.chatai.gateway;

import io.chatai.channel.Channel;
import io.chatai.channel.ChannelCatalog;
import io.chatai.preset.Preset;
import io.chatai.preset.PresetRepository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The models a caller can reach, for {@code GET /v1/models}: every model an enabled channel names
 * (aliases of its {@code modelMapping} included), plus the presets' models and the default model when
 * some enabled channel serves them, plus the models built into the server (the {@code local-embedding}
 * model), which need no channel. A channel's "*" is not a model and is never listed, but every name it
 * serves can be looked up one by one ({@link #serves}). Thread-safe.
 */
public final class ModelDirectory {
    private final ChannelCatalog channels;
    private final PresetRepository presets;
    private final String defaultModel;
    private final List<String> builtIn;

    public ModelDirectory(ChannelCatalog channels, PresetRepository presets, String defaultModel) {
        this(channels, presets, defaultModel, List.of());
    }

    /** @param builtIn models the server runs itself, always reachable */
    public ModelDirectory(ChannelCatalog channels, PresetRepository presets, String defaultModel, List<String> builtIn) {
        this.channels = channels;
        this.presets = presets;
        this.defaultModel = defaultModel;
        this.builtIn = List.copyOf(builtIn);
    }

    /** Whether the model is built in or an enabled channel serves it (by name, alias or "*"). */
    public boolean serves(String model) {
        return builtIn.contains(model) || channels.all().stream().anyMatch(c -> c.enabled() && c.serves(model));
    }

    /** OpenAI's model object for an id. */
    public static Map<String, Object> view(String id) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", 0);
        model.put("owned_by", "chatai");
        return model;
    }

    public List<String> reachable() {
        List<Channel> enabled = channels.all().stream().filter(Channel::enabled).toList();
        Set<String> models = new TreeSet<>(builtIn);
        for (Channel channel : enabled) {
            channel.models().stream().filter(m -> !m.equals("*")).forEach(models::add);
            models.addAll(channel.modelMapping().keySet());
        }
        Set<String> candidates = new TreeSet<>();
        candidates.add(defaultModel);
        presets.list().stream().map(Preset::model).filter(m -> m != null).forEach(candidates::add);
        for (String candidate : candidates) {
            if (enabled.stream().anyMatch(c -> c.serves(candidate))) {
                models.add(candidate);
            }
        }
        return List.copyOf(models);
    }
}
