package io.chatai.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The channels, presets and tool servers ({@code toolServers}) declared in the {@code CHATAI_CONFIG} YAML file, as
 * JSON objects with the same fields as the admin API. Immutable.
 */
public record DeclaredResources(List<ObjectNode> channels, List<ObjectNode> presets, List<ObjectNode> toolServers) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static DeclaredResources none() {
        return new DeclaredResources(List.of(), List.of(), List.of());
    }

    /** Reads the file; any problem is a {@link ConfigException} naming the variable and the file. */
    public static DeclaredResources read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("CHATAI_CONFIG file " + file + " cannot be read: " + e.getMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return none();
        }
        if (!root.isObject()) {
            throw new ConfigException("CHATAI_CONFIG file " + file + " must be a mapping with 'channels', 'presets' and/or 'toolServers'");
        }
        return new DeclaredResources(objects(root, "channels", file), objects(root, "presets", file),
                objects(root, "toolServers", file));
    }

    private static List<ObjectNode> objects(JsonNode root, String field, Path file) {
        JsonNode list = root.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new ConfigException("CHATAI_CONFIG file " + file + ": '" + field + "' must be a list");
        }
        List<ObjectNode> objects = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof ObjectNode object)) {
                throw new ConfigException("CHATAI_CONFIG file " + file + ": " + field + "[" + i + "] must be a mapping");
            }
            objects.add(object);
        }
        return objects;
    }
}
