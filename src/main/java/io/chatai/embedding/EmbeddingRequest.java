package io.chatai.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.ApiException;
import io.chatai.core.JsonBody;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A validated {@code POST /v1/embeddings} body, as OpenAI's SDKs send it: {@code input} as a string, a list
 * of strings, a token array or a list of token arrays; {@code model}; {@code dimensions};
 * {@code encoding_format}; {@code user}. Any other field is kept in {@link #body()} for upstreams that take
 * the body as it is. Bounded like OpenAI's API: at most {@value #MAX_INPUTS} inputs, none empty, at most
 * {@value #MAX_TOTAL_CHARS} characters of text or {@value #MAX_TOTAL_TOKENS} tokens in all. Immutable.
 *
 * @param texts       the text inputs, or null when the inputs are token arrays
 * @param tokenArrays the token-array inputs, or null when the inputs are text
 * @param dimensions  the vector size asked for, or null for the model's own
 * @param base64      {@code encoding_format} is {@code base64}: each vector as little-endian float32s in base64
 * @param user        the OpenAI {@code user} (hashed when longer than {@value #MAX_USER} characters), or null
 * @param body        the caller's body, never modified
 */
public record EmbeddingRequest(String model, List<String> texts, List<int[]> tokenArrays, Integer dimensions,
                               boolean base64, String user, ObjectNode body) {
    /** OpenAI's own limit on the inputs of one request. */
    public static final int MAX_INPUTS = 2048;
    /** About 250 000 tokens of text, under OpenAI's 300 000-token cap on one request. */
    public static final int MAX_TOTAL_CHARS = 1_000_000;
    /** OpenAI's cap on the tokens of one request. */
    public static final int MAX_TOTAL_TOKENS = 300_000;
    /** Longer {@code user} values (such as a JSON one) count through a hash of them, as the contract says. */
    static final int MAX_USER = 64;

    public static EmbeddingRequest parse(JsonBody body) {
        String model = body.requiredString("model", 256);
        JsonNode input = body.node().get("input");
        List<String> texts = null;
        List<int[]> tokenArrays = null;
        if (input == null || input.isNull()) {
            throw ApiException.invalid("input is required: a string, an array of strings, or token arrays");
        } else if (input.isTextual()) {
            texts = List.of(text(input, "input"));
        } else if (input.isArray()) {
            if (input.isEmpty()) {
                throw ApiException.invalid("input must not be an empty array");
            }
            if (input.size() > MAX_INPUTS) {
                throw ApiException.invalid("input may hold at most " + MAX_INPUTS + " items, got " + input.size());
            }
            if (input.get(0).isTextual()) {
                texts = texts(input);
            } else if (input.get(0).isNumber()) {
                tokenArrays = List.of(tokens(input, "input"));
            } else if (input.get(0).isArray()) {
                tokenArrays = tokenArrays(input);
            } else {
                throw ApiException.invalid("input[0] must be a string, a token or a token array");
            }
        } else {
            throw ApiException.invalid("input must be a string, an array of strings, or token arrays");
        }
        if (tokenArrays != null && tokenArrays.stream().mapToLong(a -> a.length).sum() > MAX_TOTAL_TOKENS) {
            throw ApiException.invalid("input may hold at most " + MAX_TOTAL_TOKENS + " tokens in all");
        }
        Integer dimensions = body.optionalInteger("dimensions", 1, 65_536);
        String format = body.optionalString("encoding_format", 16);
        if (format != null && !format.equals("float") && !format.equals("base64")) {
            throw ApiException.invalid("encoding_format must be float or base64, got '" + format + "'");
        }
        return new EmbeddingRequest(model, texts, tokenArrays, dimensions, "base64".equals(format), user(body),
                body.node());
    }

    /** How many vectors the answer holds. */
    public int inputs() {
        return texts != null ? texts.size() : tokenArrays.size();
    }

    private static List<String> texts(JsonNode input) {
        List<String> texts = new ArrayList<>(input.size());
        long chars = 0;
        for (int i = 0; i < input.size(); i++) {
            String text = text(input.get(i), "input[" + i + "]");
            chars += text.length();
            if (chars > MAX_TOTAL_CHARS) {
                throw ApiException.invalid("input may hold at most " + MAX_TOTAL_CHARS + " characters in all");
            }
            texts.add(text);
        }
        return texts;
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw ApiException.invalid(field + " must be a string like the other inputs");
        }
        String text = JsonBody.checkText(field, node.textValue(), 0, MAX_TOTAL_CHARS);
        if (text.isEmpty()) {
            throw ApiException.invalid(field + " must not be empty");
        }
        return text;
    }

    private static List<int[]> tokenArrays(JsonNode input) {
        List<int[]> arrays = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            if (!input.get(i).isArray()) {
                throw ApiException.invalid("input[" + i + "] must be a token array like the other inputs");
            }
            arrays.add(tokens(input.get(i), "input[" + i + "]"));
        }
        return arrays;
    }

    private static int[] tokens(JsonNode array, String field) {
        if (array.isEmpty()) {
            throw ApiException.invalid(field + " must not be an empty token array");
        }
        if (array.size() > MAX_TOTAL_TOKENS) {
            throw ApiException.invalid("input may hold at most " + MAX_TOTAL_TOKENS + " tokens in all");
        }
        int[] tokens = new int[array.size()];
        for (int i = 0; i < tokens.length; i++) {
            JsonNode token = array.get(i);
            if (!token.isIntegralNumber() || !token.canConvertToInt() || token.intValue() < 0) {
                throw ApiException.invalid(field + "[" + i + "] must be a token: a whole number from 0");
            }
            tokens[i] = token.intValue();
        }
        return tokens;
    }

    /** The {@code user}; a longer one than a user id (a JSON string, say) counts as a hash of it, never failing. */
    private static String user(JsonBody body) {
        String user = body.optionalText("user", Integer.MAX_VALUE);
        if (user == null || user.isEmpty()) {
            return null;
        }
        if (user.length() <= MAX_USER) {
            return user;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
