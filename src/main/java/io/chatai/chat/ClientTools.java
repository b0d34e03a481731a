package io.chatai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.ApiException;
import io.chatai.core.JsonBody;
import io.chatai.core.message.ToolSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bot's own tools on a chat request: {@code clientTools} (declared) and {@code toolResults} (the answers to a
 * paused turn's calls), parsed and bounded. Stateless.
 */
final class ClientTools {
    /** More than this many tools of a bot's own is a runaway prompt, not a toolbox. */
    static final int MAX_TOOLS = 64;
    /** A paused turn waits for at most one round's calls. */
    static final int MAX_RESULTS = ToolRound.MAX_CALLS_PER_ROUND * 4;
    static final int MAX_DESCRIPTION = 4096;
    static final int MAX_RESULT_CHARS = 64 * 1024;
    private static final JsonNode EMPTY_SCHEMA = io.chatai.core.Json.MAPPER.createObjectNode().put("type", "object")
            .set("properties", io.chatai.core.Json.MAPPER.createObjectNode());
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /** One answer to a pending call. */
    record Result(String id, String result, boolean isError) { }

    private ClientTools() {
    }

    static List<ToolSpec> declared(JsonBody body) {
        JsonNode array = body.node().get("clientTools");
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw ApiException.invalid("clientTools must be an array of {\"name\", \"description\", \"parameters\"}");
        }
        if (array.size() > MAX_TOOLS) {
            throw ApiException.invalid("clientTools holds " + array.size() + " tools; the limit is " + MAX_TOOLS);
        }
        List<ToolSpec> tools = new ArrayList<>(array.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String where = "clientTools[" + i + "]";
            if (!(array.get(i) instanceof ObjectNode object)) {
                throw ApiException.invalid(where + " must be an object");
            }
            JsonBody tool = new JsonBody(object);
            String name = field(where, () -> tool.requiredString("name", 64));
            if (!NAME.matcher(name).matches()) {
                throw ApiException.invalid(where + ".name '" + name + "' must be 1-64 of [a-zA-Z0-9_-]");
            }
            if (!names.add(name)) {
                throw ApiException.invalid(where + ".name '" + name + "' is declared twice");
            }
            String description = field(where, () -> tool.optionalText("description", MAX_DESCRIPTION));
            JsonNode parameters = object.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw ApiException.invalid(where + ".parameters must be a JSON schema object");
            }
            tools.add(new ToolSpec(name, description == null ? "" : description,
                    parameters == null || parameters.isNull() ? EMPTY_SCHEMA : parameters, null));
        }
        return tools;
    }

    /** The answers of a continuation, or null when the request has none (a new turn). */
    static List<Result> results(JsonBody body) {
        JsonNode array = body.node().get("toolResults");
        if (array == null || array.isNull()) {
            return null;
        }
        if (!array.isArray() || array.isEmpty()) {
            throw ApiException.invalid("toolResults must be a non-empty array of {\"id\", \"result\", \"isError\"?}");
        }
        if (array.size() > MAX_RESULTS) {
            throw ApiException.invalid("toolResults holds " + array.size() + " results; the limit is " + MAX_RESULTS);
        }
        List<Result> results = new ArrayList<>(array.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String where = "toolResults[" + i + "]";
            if (!(array.get(i) instanceof ObjectNode object)) {
                throw ApiException.invalid(where + " must be an object");
            }
            JsonBody result = new JsonBody(object);
            String id = field(where, () -> result.requiredString("id", 256));
            if (!ids.add(id)) {
                throw ApiException.invalid(where + ".id '" + id + "' is answered twice");
            }
            JsonNode value = object.get("result");
            if (value == null || value.isNull()) {
                throw ApiException.invalid(where + ".result is required (a string, or any JSON value)");
            }
            String text = value.isTextual() ? value.asText() : value.toString();
            if (text.length() > MAX_RESULT_CHARS) {
                throw ApiException.invalid(where + ".result is " + text.length() + " characters; the limit is "
                        + MAX_RESULT_CHARS);
            }
            Boolean error = field(where, () -> result.optionalBoolean("isError"));
            results.add(new Result(id, text, Boolean.TRUE.equals(error)));
        }
        return results;
    }

    private static <T> T field(String where, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ApiException e) {
            throw ApiException.invalid(where + "." + e.getMessage());
        }
    }
}
