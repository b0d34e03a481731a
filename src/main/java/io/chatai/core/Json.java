package io.chatai.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON configuration of the server: strict on input (UTF-8 only, no duplicate keys, bounded
 * nesting, nothing after the value), plain on output. Thread-safe; the mapper is immutable once built.
 */
public final class Json {
    /** Deep enough for any real request, shallow enough that a hostile one costs nothing. */
    public static final int MAX_NESTING_DEPTH = 32;

    /*
     * Jackson keeps its parse/write buffers (~20 KB) per thread by default. With a virtual thread per
     * request, every open stream would hold its own set for its whole life; one shared pool keeps only
     * as many sets as there are parses and writes running at the same moment.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            // Money is a BigDecimal (costs, prices): 0.000175, never 1.75E-4.
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(64)
                .build());
    }

    private Json() {
    }

    /** Parses a request body that must be one JSON object; anything else is 400 {@code INVALID_REQUEST}. */
    public static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw ApiException.invalid("Request body is empty; send a JSON object");
        }
        return parseObject(strictUtf8(body));
    }

    /** Like {@link #parseObject(byte[])}, for a body already decoded with {@link #strictUtf8}. */
    public static ObjectNode parseObject(String body) {
        if (body.isEmpty()) {
            throw ApiException.invalid("Request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("Malformed JSON: " + describe(e));
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.invalid("Request body must be a JSON object");
        }
        return object;
    }

    /**
     * Parses a request body that may be any JSON value (a route that takes an array checks the type);
     * malformed input is 400 {@code INVALID_REQUEST}.
     *
     * @param expected what the route takes, for the message about an empty body
     */
    public static JsonNode parse(byte[] body, String expected) {
        if (body.length == 0) {
            throw ApiException.invalid("Request body is empty; send " + expected);
        }
        try {
            return MAPPER.readTree(strictUtf8(body));
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("Malformed JSON: " + describe(e));
        }
    }

    /**
     * Decodes UTF-8 strictly. Jackson alone would guess UTF-16/32 and let overlong forms or stray
     * continuation bytes through; the JDK decoder refuses all of them.
     */
    public static String strictUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalid("Request body must be JSON encoded as UTF-8");
        }
    }

    /** Serialises a value; only fails on a programming error. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getName(), e);
        }
    }

    public static String writeString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getName(), e);
        }
    }

    /** Parses JSON that the server itself stored or an upstream sent; failures are the caller's to map. */
    public static JsonNode tree(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    private static String describe(JsonProcessingException e) {
        // Jackson's original message names the problem without echoing the (possibly huge) input.
        String message = e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[Source: [^]]*][^)]*\\)", "");
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        var location = e.getLocation();
        return location == null ? message : message + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
