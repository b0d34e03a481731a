package io.chatai.core.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one JSON form of the message model for everything the server stores (conversation messages, and
 * the Responses store): every part kind, opaque provider state kept byte for byte, field names that never
 * change meaning. Stateless and thread-safe.
 *
 * <p>Format 1 (field names are part of the stored data: add optional fields, never rename or reuse one):
 * <pre>
 * parts document   {"v":1, "parts":[part, ...]}
 * message document {"v":1, "role":"system|user|assistant|tool", "content":[part, ...],
 *                   "name"?, "toolCallId"?, "isError"?}
 * part             {"type":"text", "text"}
 *                  {"type":"image", "source":{"type":"url", "url"} | {"type":"inline", "mimeType", "data"}
 *                                     | {"type":"stored", "id", "mimeType"}, "detail"?}
 *                  {"type":"toolCall", "id", "name", "arguments" (the model's JSON text, as a string), "signature"?}
 *                  {"type":"reasoning", "text"?, "signature"?, "redacted"?, "origin"?}
 * </pre>
 * An absent optional field is null. Readers ignore fields they do not know (a newer writer may add
 * optional ones) and refuse, with {@link IllegalArgumentException}, a newer format version, an unknown part
 * type or a field of the wrong JSON type, so nothing is silently half-read.
 *
 * <p>A {@code stored} image source names bytes kept elsewhere (the conversation store's images, by content
 * hash): the writer says which inline images it stored ({@link #encodeParts(List, Function)}) and the
 * reader says what such a reference becomes ({@link #decodeParts(String, StoredImages)}).
 */
public final class MessageCodec {
    /** The format this class writes, and the newest it reads. */
    public static final int VERSION = 1;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MessageCodec() {
    }

    /** What a stored image reference becomes when a document is read. */
    @FunctionalInterface
    public interface StoredImages {
        /** The source for the stored image {@code id}; throws {@link IllegalArgumentException} if it is unknown. */
        ImageSource resolve(String id, String mimeType);
    }

    private static final StoredImages NO_STORE = (id, mimeType) -> {
        throw new IllegalArgumentException("Stored message: image " + id + " is stored elsewhere and no store was given");
    };

    /** A parts document: the parts in order, for a column that stores one message's content. */
    public static String encodeParts(List<Part> parts) {
        return encodeParts(parts, inline -> null);
    }

    /**
     * A parts document in which each inline image that {@code storedId} names (a non-null id) is written
     * as a reference to that stored image instead of its bytes.
     */
    public static String encodeParts(List<Part> parts, Function<ImageSource.Inline, String> storedId) {
        ObjectNode document = NODES.objectNode().put("v", VERSION);
        document.set("parts", partsToJson(parts, storedId));
        return Json.writeString(document);
    }

    /** Reads a parts document written by {@link #encodeParts}; a stored image reference is refused. */
    public static List<Part> decodeParts(String json) {
        return decodeParts(json, NO_STORE);
    }

    /** Reads a parts document, turning each stored image reference into what {@code images} resolves. */
    public static List<Part> decodeParts(String json, StoredImages images) {
        JsonNode document = document(json);
        return partsFromJson(document.get("parts"), "parts", images);
    }

    /** A message document. */
    public static String encode(ChatMessage message) {
        return Json.writeString(toJson(message));
    }

    /** Reads a message document written by {@link #encode}. */
    public static ChatMessage decode(String json) {
        return fromJson(document(json));
    }

    /** The message document as a tree, to embed in a larger one. */
    public static ObjectNode toJson(ChatMessage message) {
        ObjectNode node = NODES.objectNode().put("v", VERSION).put("role", message.role().wire());
        node.set("content", partsToJson(message.content()));
        switch (message) {
            case ChatMessage.System s -> { }
            case ChatMessage.Assistant a -> { }
            case ChatMessage.User u -> putIfPresent(node, "name", u.name());
            case ChatMessage.Tool t -> {
                node.put("toolCallId", t.toolCallId());
                putIfPresent(node, "name", t.name());
                node.put("isError", t.isError());
            }
        }
        return node;
    }

    /** Reads a message document given as a tree (see {@link #toJson}). */
    public static ChatMessage fromJson(JsonNode node) {
        checkVersion(node);
        ChatMessage.Role role;
        try {
            role = ChatMessage.Role.fromWire(required(node, "role"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Stored message: " + e.getMessage(), e);
        }
        List<Part> content = partsFromJson(node.get("content"), "content");
        return switch (role) {
            case SYSTEM -> {
                if (!content.stream().allMatch(Part.Text.class::isInstance)) {
                    throw new IllegalArgumentException("Stored message: a system message holds only text parts");
                }
                yield new ChatMessage.System(Parts.text(content));
            }
            case USER -> new ChatMessage.User(content, optional(node, "name"));
            case ASSISTANT -> new ChatMessage.Assistant(content);
            case TOOL -> new ChatMessage.Tool(required(node, "toolCallId"), optional(node, "name"), content,
                    flag(node, "isError"));
        };
    }

    /** The parts as a JSON array, in order. */
    public static ArrayNode partsToJson(List<Part> parts) {
        return partsToJson(parts, inline -> null);
    }

    private static ArrayNode partsToJson(List<Part> parts, Function<ImageSource.Inline, String> storedId) {
        ArrayNode array = NODES.arrayNode(parts.size());
        for (Part part : parts) {
            array.add(partToJson(part, storedId));
        }
        return array;
    }

    /** Reads a JSON array of parts (see {@link #partsToJson}); {@code where} names it in errors. */
    public static List<Part> partsFromJson(JsonNode array, String where) {
        return partsFromJson(array, where, NO_STORE);
    }

    private static List<Part> partsFromJson(JsonNode array, String where, StoredImages images) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("Stored message: '" + where + "' must be an array of parts");
        }
        List<Part> parts = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            parts.add(partFromJson(node, images));
        }
        return parts;
    }

    private static ObjectNode partToJson(Part part, Function<ImageSource.Inline, String> storedId) {
        ObjectNode node = NODES.objectNode();
        switch (part) {
            case Part.Text t -> node.put("type", "text").put("text", t.text());
            case Part.Image i -> {
                node.put("type", "image");
                ObjectNode source = node.putObject("source");
                switch (i.source()) {
                    case ImageSource.Url url -> source.put("type", "url").put("url", url.url());
                    case ImageSource.Inline inline -> {
                        String id = storedId.apply(inline);
                        if (id != null) {
                            source.put("type", "stored").put("id", id).put("mimeType", inline.mimeType());
                        } else {
                            source.put("type", "inline").put("mimeType", inline.mimeType()).put("data", inline.base64());
                        }
                    }
                }
                putIfPresent(node, "detail", i.detail());
            }
            case Part.ToolCall c -> {
                node.put("type", "toolCall").put("id", c.id()).put("name", c.name()).put("arguments", c.arguments());
                putIfPresent(node, "signature", c.signature());
            }
            case Part.Reasoning r -> {
                node.put("type", "reasoning");
                putIfPresent(node, "text", r.text());
                putIfPresent(node, "signature", r.signature());
                putIfPresent(node, "redacted", r.redacted());
                putIfPresent(node, "origin", r.origin());
            }
        }
        return node;
    }

    private static Part partFromJson(JsonNode node, StoredImages images) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("Stored message: a part must be an object");
        }
        String type = required(node, "type");
        return switch (type) {
            case "text" -> new Part.Text(required(node, "text"));
            case "image" -> new Part.Image(source(node.get("source"), images), optional(node, "detail"));
            case "toolCall" -> new Part.ToolCall(required(node, "id"), required(node, "name"), required(node, "arguments"),
                    optional(node, "signature"));
            case "reasoning" -> {
                String text = optional(node, "text");
                String signature = optional(node, "signature");
                String redacted = optional(node, "redacted");
                if (text == null && signature == null && redacted == null) {
                    throw new IllegalArgumentException("Stored message: a reasoning part needs text, signature or redacted");
                }
                yield new Part.Reasoning(text, signature, redacted, optional(node, "origin"));
            }
            default -> throw new IllegalArgumentException("Stored message: unknown part type '" + type + "'");
        };
    }

    private static ImageSource source(JsonNode node, StoredImages images) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("Stored message: an image part needs a 'source' object");
        }
        String type = required(node, "type");
        return switch (type) {
            case "url" -> new ImageSource.Url(required(node, "url"));
            case "inline" -> new ImageSource.Inline(required(node, "mimeType"), required(node, "data"));
            case "stored" -> images.resolve(required(node, "id"), required(node, "mimeType"));
            default -> throw new IllegalArgumentException("Stored message: unknown image source type '" + type + "'");
        };
    }

    private static JsonNode document(String json) {
        JsonNode node;
        try {
            node = Json.tree(json);
        } catch (JsonProcessingException e) {
            // The original message names the problem without echoing the stored text.
            throw new IllegalArgumentException("Stored message is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("Stored message must be a JSON object");
        }
        checkVersion(node);
        return node;
    }

    private static void checkVersion(JsonNode node) {
        JsonNode version = node.get("v");
        if (version == null || !version.isInt()) {
            throw new IllegalArgumentException("Stored message has no format version 'v'");
        }
        if (version.intValue() < 1 || version.intValue() > VERSION) {
            throw new IllegalArgumentException("Stored message has format " + version.intValue()
                    + "; this server reads formats 1 to " + VERSION);
        }
    }

    private static String required(JsonNode node, String field) {
        String value = optional(node, field);
        if (value == null) {
            throw new IllegalArgumentException("Stored message: '" + field + "' is missing");
        }
        return value;
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("Stored message: '" + field + "' must be a string");
        }
        return value.textValue();
    }

    private static boolean flag(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("Stored message: '" + field + "' must be a boolean");
        }
        return value.booleanValue();
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
